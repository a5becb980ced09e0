package dev.helmsdk.api.secrets;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;

import java.util.Objects;

/**
 * A secret reference in the values could not be resolved, so the operation failed before anything
 * in the cluster changed. Names the reference (its text, never a value), the resolver asked and
 * why; {@link #retryable()} follows {@link Reason} ({@link dev.helmsdk.api.Retryability}).
 */
public class SecretResolutionException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    /** Why a reference could not be resolved. */
    public enum Reason {
        /** No resolver serves the reference's scheme. */
        UNKNOWN_SCHEME,
        /** The store has no such secret (or file). */
        NOT_FOUND,
        /** The secret exists but not the key (fragment, field, variable) the reference names. */
        MISSING_KEY,
        /** The store refused: authentication or authorization. */
        DENIED,
        /** The store could not be reached, or answered with a server error. */
        UNREACHABLE,
        /** The operation's time ran out while the reference was being resolved. */
        TIMEOUT,
        /** The reference's text does not follow the grammar, or names something the resolver cannot read. */
        INVALID_REFERENCE
    }

    private final String reference;
    private final String resolver;
    private final Reason reason;

    /**
     * @param operation the operation that failed
     * @param release   the release it concerned, or {@code null}
     * @param reference the reference's text as written in the values (never a resolved value)
     * @param resolver  the resolver asked (its class name), or {@code "none"} when none was
     * @param reason    why it failed
     * @param detail    what went wrong and what to do; must not contain a secret value
     * @param cause     the underlying cause, or {@code null}
     */
    public SecretResolutionException(Operation operation, String release, String reference, String resolver, Reason reason,
                                     String detail, Throwable cause) {
        super(operation, release, message(reference, resolver, reason, detail), cause);
        this.reference = reference;
        this.resolver = resolver;
        this.reason = reason;
    }

    /**
     * The failure a resolver reports for {@code reference}, within the operation {@code context} describes.
     *
     * @param context   the context the resolver was given
     * @param reference the reference it was asked for
     * @param resolver  the resolver
     * @param reason    why it failed
     * @param detail    what went wrong and what to do; must not contain a secret value
     * @return the exception, to throw
     */
    public static SecretResolutionException of(SecretContext context, SecretReference reference, SecretResolver resolver,
                                               Reason reason, String detail) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(resolver, "resolver");
        return new SecretResolutionException(context.operation(), context.releaseName().orElse(null), reference.text(),
                resolver.getClass().getName(), reason, detail, null);
    }

    private static String message(String reference, String resolver, Reason reason, String detail) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        return "secret reference " + reference + " (" + reason + ", resolver " + resolver + "): " + detail;
    }

    /** The reference's text as written in the values. */
    public String reference() {
        return reference;
    }

    /** The resolver asked (its class name), or {@code "none"}. */
    public String resolver() {
        return resolver;
    }

    /** Why the reference could not be resolved. */
    public Reason reason() {
        return reason;
    }
}
