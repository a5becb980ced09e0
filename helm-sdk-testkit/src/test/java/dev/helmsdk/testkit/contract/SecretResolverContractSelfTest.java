package dev.helmsdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.helmsdk.api.secrets.SecretContext;
import dev.helmsdk.api.secrets.SecretReference;
import dev.helmsdk.api.secrets.SecretResolutionException;
import dev.helmsdk.api.secrets.SecretResolutionException.Reason;
import dev.helmsdk.api.secrets.SecretResolver;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@link SecretResolverContract} can fail: run (through the JUnit Platform launcher) against a correct
 * resolver and against resolvers each broken in one way a user would notice, it fails exactly the check
 * for that breakage and passes the others.
 */
class SecretResolverContractSelfTest {

    static final String PASSWORD = "self-test-canary-pw-3e9f";

    /** A correct resolver over {@code db = {password}}, whose behaviour a subclass breaks in one place. */
    static class Store implements SecretResolver {
        @Override
        public Set<String> schemes() {
            return Set.of("store");
        }

        @Override
        public Object resolve(SecretReference reference, SecretContext context) {
            java.util.Objects.requireNonNull(reference, "reference");
            java.util.Objects.requireNonNull(context, "context");
            if (!reference.path().equals("db")) {
                throw SecretResolutionException.of(context, reference, this, Reason.NOT_FOUND, "no secret " + reference.path());
            }
            return reference.select(Map.of("password", PASSWORD)).orElseThrow(() -> missingKey(reference, context));
        }

        SecretResolutionException missingKey(SecretReference reference, SecretContext context) {
            return SecretResolutionException.of(context, reference, this, Reason.MISSING_KEY, "no key " + reference.fragmentKeys());
        }
    }

    abstract static class Over extends SecretResolverContract {
        abstract SecretResolver store();

        @Override
        protected SecretResolver resolver() {
            return store();
        }

        @Override
        protected String existingReference() {
            return "ref+store://db#/password";
        }

        @Override
        protected Object expectedValue() {
            return PASSWORD;
        }

        @Override
        protected Optional<String> missingSecretReference() {
            return Optional.of("ref+store://nothing#/password");
        }

        @Override
        protected Optional<String> missingKeyReference() {
            return Optional.of("ref+store://db#/token");
        }
    }

    static class Correct extends Over {
        @Override
        SecretResolver store() {
            return new Store();
        }
    }

    /** Names the keys it has, values included, when one is missing. */
    static class LeaksInMessages extends Over {
        @Override
        SecretResolver store() {
            return new Store() {
                @Override
                SecretResolutionException missingKey(SecretReference reference, SecretContext context) {
                    return SecretResolutionException.of(context, reference, this, Reason.MISSING_KEY, "it has {password=" + PASSWORD + "}");
                }
            };
        }
    }

    /** Reports a missing key as a missing secret. */
    static class WrongReason extends Over {
        @Override
        SecretResolver store() {
            return new Store() {
                @Override
                SecretResolutionException missingKey(SecretReference reference, SecretContext context) {
                    return SecretResolutionException.of(context, reference, this, Reason.NOT_FOUND, "no key");
                }
            };
        }
    }

    /** Calls its store whatever the time left, and the store takes 3 s. */
    static class IgnoresTimeLeft extends Over {
        @Override
        SecretResolver store() {
            return new Store() {
                @Override
                public Object resolve(SecretReference reference, SecretContext context) {
                    if (context.timeLeft().isZero()) {
                        try {
                            Thread.sleep(3_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return super.resolve(reference, context);
                }
            };
        }
    }

    /** Not thread-safe: every seventh call sees a half-updated state. */
    static class Racy extends Over {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        SecretResolver store() {
            return new Store() {
                @Override
                public Object resolve(SecretReference reference, SecretContext context) {
                    Object value = super.resolve(reference, context);
                    return calls.incrementAndGet() % 7 == 0 ? "" : value;
                }
            };
        }
    }

    /** Upper-case scheme. */
    static class UpperCaseScheme extends Over {
        @Override
        SecretResolver store() {
            return new Store() {
                @Override
                public Set<String> schemes() {
                    return Set.of("Store", "store");
                }
            };
        }
    }

    /** The failed checks of running {@code contract}, by method name. */
    private static Set<String> failures(Class<?> contract) {
        Map<String, String> failed = new TreeMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            failed.put(id.getDisplayName().replace("()", ""), result.getStatus().toString());
                        }
                    }
                });
        return failed.keySet();
    }

    @Test
    void aCorrectResolverPassesEveryCheck() {
        assertEquals(Set.of("fragmentSelectsFromWholeIsConsistent"), failures(Correct.class),
                "only the fragment check is skipped (the resolver asks references as written)");
    }

    @Test
    void eachBreakageFailsItsCheck() {
        String skipped = "fragmentSelectsFromWholeIsConsistent";
        assertEquals(Set.of(skipped, "noValueInMessagesOrToString", "missingKeyIsMissingKey"), failures(LeaksInMessages.class));
        assertEquals(Set.of(skipped, "missingKeyIsMissingKey"), failures(WrongReason.class));
        assertEquals(Set.of(skipped, "zeroTimeLeftFailsWithTimeoutOrAnswersQuickly"), failures(IgnoresTimeLeft.class));
        assertEquals(Set.of(skipped, "concurrentResolvesAgree"), failures(Racy.class));
        assertEquals(Set.of(skipped, "schemesAreLowerCaseAndServeTheReferences"), failures(UpperCaseScheme.class));
    }
}
