package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretResolver;
import dev.helmsdk.testkit.contract.SecretResolverContract;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.opentest4j.TestAbortedException;

/**
 * {@link SecretResolverContract} for {@link AwsResolver}'s {@code awssecrets} scheme against moto (one
 * server per class, reset per test). Without {@code moto_server} each test is skipped with the install
 * hint; with {@code CI=true} the class fails.
 */
@Tag("integration")
class AwsSecretsResolverContractTest extends SecretResolverContract {

    private static final String PASSWORD = "aws-canary-pw-" + UUID.randomUUID();
    private static MotoServer moto;
    private static String missing;

    @BeforeAll
    static void startMoto() {
        try {
            moto = MotoServer.start(Map.of());
        } catch (TestAbortedException e) {
            missing = e.getMessage();
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshStore() {
        Assumptions.assumeTrue(missing == null, missing);
        moto.reset();
        moto.secretsManager().createSecret(r -> r.name("shop/db")
                .secretString("{\"user\": \"app\", \"password\": \"" + PASSWORD + "\", \"port\": 5432}"));
    }

    @Override
    protected SecretResolver resolver() {
        return new AwsResolver(moto.environment()::get);
    }

    @Override
    protected String existingReference() {
        return "ref+awssecrets://shop/db#/password";
    }

    @Override
    protected Object expectedValue() {
        return PASSWORD;
    }

    @Override
    protected Optional<String> missingSecretReference() {
        return Optional.of("ref+awssecrets://shop/nothing#/password");
    }

    @Override
    protected Optional<String> missingKeyReference() {
        return Optional.of("ref+awssecrets://shop/db#/token");
    }
}
