package dev.helmsdk.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Process-wide facts about the native Helm library, which can be loaded only once per JVM.
 *
 * <ul>
 *   <li>JNA would unpack its own native stub under {@code ~/.cache/JNA}; {@code jna.tmpdir} is
 *       pointed under {@code java.io.tmpdir} before the first load, unless the application set it.</li>
 *   <li>helm-java's Go code calls {@code signal.Notify(SIGINT, SIGTERM, ...)} on install and upgrade,
 *       after which the JVM no longer shuts down on SIGTERM (helm-java issue #409). The JVM's own
 *       handlers are captured once and put back after every such call.</li>
 *   <li>Go reads the environment once, from the process's start, so Helm's cache locations
 *       ({@code KUBECACHEDIR}, {@code HELM_CACHE_HOME}, ...) can only be set in the environment the
 *       JVM was started with; {@link #homeWarning()} tells what will land in the home directory.</li>
 * </ul>
 */
public final class NativeHelm {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHelm.class);
    private static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    private static final Map<String, SignalHandler> JVM_HANDLERS = captureJvmHandlers();

    private NativeHelm() {
    }

    /** Called before the first use of helm-java. */
    public static void prepare() {
        if (System.getProperty("jna.tmpdir") == null) {
            System.setProperty("jna.tmpdir", Path.of(System.getProperty("java.io.tmpdir"),
                    "helm-sdk-jna-" + System.getProperty("user.name", "user")).toString());
        }
    }

    private static Map<String, SignalHandler> captureJvmHandlers() {
        Map<String, SignalHandler> handlers = new LinkedHashMap<>();
        for (String name : SIGNALS) {
            try {
                Signal sig = new Signal(name);
                SignalHandler current = Signal.handle(sig, SignalHandler.SIG_DFL);
                Signal.handle(sig, current);
                handlers.put(name, current);
            } catch (IllegalArgumentException e) {
                // The signal is reserved by this JVM (e.g. with -Xrs): nothing to restore.
                LOG.debug("cannot capture the JVM's {} handler: {}", name, e.getMessage());
            }
        }
        return handlers;
    }

    /** Puts the JVM's signal handlers back after a native call that may have taken them. */
    public static void restoreSignalHandlers() {
        JVM_HANDLERS.forEach((name, handler) -> {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot restore the JVM's {} handler: {}", name, e.getMessage());
            }
        });
    }

    /**
     * The environment variables that, unset, make Helm's Go code use the home directory, or an
     * empty string when all are set.
     */
    public static String homeWarning() {
        StringBuilder missing = new StringBuilder();
        for (String var : new String[] {"KUBECACHEDIR", "HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"}) {
            String v = System.getenv(var);
            if (v == null || v.isBlank()) {
                missing.append(missing.length() == 0 ? "" : ", ").append(var);
            }
        }
        return missing.toString();
    }
}
