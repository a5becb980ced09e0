package dev.helmsdk.api;

import java.util.Objects;

/**
 * One of a chart's dependencies could not be resolved, downloaded or built: its version constraint matches
 * nothing, its repository refused us or served a bad archive, its local ({@code file://}) chart is missing, or
 * {@code Chart.lock} no longer matches {@code Chart.yaml}. Names the dependency and its repository; the cause,
 * when there is one, is the source's own error (a {@link ChartSourceException}, {@link ChartNotFoundException}, ...),
 * which also decides {@link #retryable()}. When it is thrown, the chart's {@code Chart.lock} and {@code charts/}
 * are as they were.
 */
public class ChartDependencyException extends HelmSdkException {

    private static final long serialVersionUID = 1L;

    private final String dependency;
    private final String repository;

    /**
     * @param operation  the operation (dependency update or build, package)
     * @param dependency the dependency's name (its alias when it has one), or {@code *} for the whole list
     * @param repository the dependency's repository as {@code Chart.yaml} gives it ({@code ""} for {@code charts/})
     * @param message    what happened and what to do about it
     * @param cause      the source's error, or {@code null}
     */
    public ChartDependencyException(Operation operation, String dependency, String repository, String message, Throwable cause) {
        super(operation, null, shown(Objects.requireNonNull(repository, "repository"), message), cause);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
        this.repository = withoutUserInfo(repository);
    }

    /** The message with the repository's user info (a {@code user:token@} in a Chart.yaml URL) taken out. */
    private static String shown(String repository, String message) {
        String clean = withoutUserInfo(repository);
        return message == null || clean.equals(repository) ? message : message.replace(repository, clean);
    }

    /**
     * A repository as messages and reports show it: {@code https://user:token@host/x} as {@code https://host/x}, since a
     * credential in a URL is still a credential.
     *
     * @param repository a repository URL as {@code Chart.yaml} gives it
     * @return it without user info
     */
    public static String withoutUserInfo(String repository) {
        Objects.requireNonNull(repository, "repository");
        int scheme = repository.indexOf("://");
        int at = repository.indexOf('@', scheme + 3);
        int slash = repository.indexOf('/', scheme + 3);
        if (scheme < 0 || at < 0 || (slash >= 0 && at > slash)) {
            return repository;
        }
        return repository.substring(0, scheme + 3) + repository.substring(at + 1);
    }

    /** The dependency's name as {@code Chart.yaml} gives it, or {@code *} when the failure concerns them all. */
    public String dependency() {
        return dependency;
    }

    /**
     * The dependency's repository as {@code Chart.yaml} gives it, without user info ({@code ""}: the chart's
     * {@code charts/} directory).
     */
    public String repository() {
        return repository;
    }
}
