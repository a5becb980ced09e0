package dev.helmsdk.core.internal;

import dev.helmsdk.api.HelmSdkException;
import dev.helmsdk.api.Operation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one casing of every tag value helm-sdk's meters carry: lower-case words joined by {@code _}
 * ({@code dry_run}, {@code release_not_found}, {@code invalid_content}), the form of
 * {@link Operation#tag()}, which most values already had. Dashboards and alerts match these
 * strings: the operation meters build their values here, and the test of this class holds every
 * meter the SDK registers (the chart fetch's too) to this form. The list of meters users see is
 * the README's table (section Metrics), which a test holds to what the SDK registers. Public only for
 * {@code internal.telemetry}.
 */
public final class MetricTags {

    /** What every tag value looks like. */
    public static final Pattern FORM = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    /** The outcome of a call that succeeded. */
    public static final String SUCCESS = "success";
    /** The outcome of a call that failed with something other than a specific helm-sdk exception. */
    public static final String ERROR = "error";

    private static final Pattern WORD_START = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");

    private MetricTags() {
    }

    /** {@code words} ({@code ReleaseNotFound}, {@code INVALID_CONTENT}, {@code pending-upgrade}) in the tag casing. */
    public static String value(String words) {
        return WORD_START.matcher(words).replaceAll("_").replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /**
     * The outcome tag of a failed operation: the kind of helm-sdk exception, without
     * {@code Exception} ({@code release_not_found}, {@code operation_timeout}, {@code auto_rollback}).
     * A subclass defined elsewhere counts as the helm-sdk class it extends, so the values stay the
     * documented few; the root {@link HelmSdkException} itself is {@link #ERROR}.
     */
    public static String outcome(HelmSdkException failure) {
        return outcome(failure.getClass());
    }

    /**
     * The kind of any failure, in the same words: a helm-sdk exception's {@link #outcome}, a request cut
     * off at the deadline {@code operation_timeout}, anything else {@link #ERROR}.
     */
    public static String failureKind(Throwable failure) {
        if (failure instanceof HelmSdkException e) {
            return outcome(e);
        }
        return failure instanceof DeadlinePassedException ? "operation_timeout" : ERROR;
    }

    /** The outcome tag of a failure of class {@code type}, as {@link #outcome(HelmSdkException)}. */
    public static String outcome(Class<? extends HelmSdkException> type) {
        Class<?> kind = type;
        while (!kind.getName().startsWith("dev.helmsdk.api.") || kind.isAnonymousClass() || kind.isLocalClass()) {
            kind = kind.getSuperclass();
        }
        return kind == HelmSdkException.class ? ERROR : value(kind.getSimpleName().replaceFirst("Exception$", ""));
    }
}
