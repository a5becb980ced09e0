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
        super(operation, null, message, cause);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** The dependency's name as {@code Chart.yaml} gives it, or {@code *} when the failure concerns them all. */
    public String dependency() {
        return dependency;
    }

    /** The dependency's repository as {@code Chart.yaml} gives it ({@code ""}: the chart's {@code charts/} directory). */
    public String repository() {
        return repository;
    }
}
