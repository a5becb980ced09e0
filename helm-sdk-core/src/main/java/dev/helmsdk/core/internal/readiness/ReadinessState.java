package dev.helmsdk.core.internal.readiness;

/** Where one resource stands, in kstatus's terms: {@code Current}, {@code InProgress}, {@code Failed}. */
public enum ReadinessState {
    /** Ready: kstatus {@code Current}. */
    READY,
    /** Not ready yet, and may still become ready: kstatus {@code InProgress}. */
    WAITING,
    /** Will not become ready without a change: kstatus {@code Failed}, or a pod failure that is certain. */
    FAILED
}
