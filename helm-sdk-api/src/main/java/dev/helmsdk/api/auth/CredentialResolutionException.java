package dev.helmsdk.api.auth;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * No credential provider had credentials for a repository. The message lists every provider that
 * was asked, in order, with its reason; it never contains a secret value. Not retryable as is
 * (but a retry after the secret is created will succeed).
 */
public class CredentialResolutionException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final URI repository;
    private final transient Map<String, String> reasons;

    /**
     * @param operation  the operation credentials were needed for
     * @param repository the repository that has no credentials
     * @param reasons    provider name to reason, in the order the providers were asked
     */
    public CredentialResolutionException(Operation operation, URI repository, Map<String, String> reasons) {
        super(operation, null, message(repository, reasons), null);
        this.repository = repository;
        this.reasons = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }

    private static String message(URI repository, Map<String, String> reasons) {
        Objects.requireNonNull(reasons, "reasons");
        StringBuilder sb = new StringBuilder("no credentials found for repository ").append(repository);
        if (reasons.isEmpty()) {
            return sb.append(": no credential providers are configured").toString();
        }
        sb.append("; providers asked, in order:");
        reasons.forEach((name, reason) -> sb.append("\n  - ").append(name).append(": ").append(reason));
        return sb.toString();
    }

    /** The repository that has no credentials. */
    public URI repository() {
        return repository;
    }

    /** Provider name to reason, in the order they were asked. */
    public Map<String, String> reasons() {
        return reasons == null ? Map.of() : reasons;
    }
}
