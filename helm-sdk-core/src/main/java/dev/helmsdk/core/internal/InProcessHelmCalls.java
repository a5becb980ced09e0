package dev.helmsdk.core.internal;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.UninstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import dev.helmsdk.core.internal.HelmCall.Flag;

import java.nio.file.Path;

/**
 * Runs Helm calls through helm-java in this JVM. Fast, but a call cannot be stopped once started
 * (see {@link NativeHelm}); the JVM's signal handlers are put back after every call.
 */
public final class InProcessHelmCalls implements NativeHelmCalls {

    public InProcessHelmCalls() {
        NativeHelm.prepare();
    }

    @Override
    public HelmCall.Result execute(HelmCall call) {
        // No operation's mask is known here (an isolated process serving its parent): Helm's log is not logged.
        return run(call, null);
    }

    @Override
    public HelmCall.Result execute(HelmCall call, dev.helmsdk.core.internal.secrets.Redactor mask) {
        return run(call, mask);
    }

    /** Runs {@code call}; with a {@code mask}, Helm's debug log goes to SLF4J through it ({@link HelmDebugLog}). */
    private static HelmCall.Result run(HelmCall call, dev.helmsdk.core.internal.secrets.Redactor mask) {
        try {
            HelmCall.Result result = call(call);
            if (mask != null) {
                HelmDebugLog.output(call, result.output(), mask);
            }
            return result;
        } catch (IllegalStateException e) {
            // With debug, helm-java appends Helm's log to the error after a "---" line: keep Helm's message only.
            String text = e.getMessage();
            String message = mask != null ? HelmDebugLog.failure(call, text, mask)
                    : HelmDebugLog.failure(call, text, dev.helmsdk.core.internal.secrets.Redactor.NONE, false);
            throw message == null || message.equals(text) ? e : new IllegalStateException(message);
        } finally {
            NativeHelm.restoreSignalHandlers();
        }
    }

    private static HelmCall.Result call(HelmCall call) {
        return switch (call.kind()) {
            case INSTALL -> install(call);
            case UPGRADE -> upgrade(call);
            case UNINSTALL -> uninstall(call);
            case TEMPLATE -> template(call);
            case LINT -> lint(call);
            case TEST -> test(call);
        };
    }

    private static HelmCall.Result install(HelmCall call) {
        InstallCommand c = Helm.install(call.chart()).withName(call.name()).withNamespace(call.namespace());
        if (call.version() != null) c.withVersion(call.version());
        if (call.valuesFile() != null) c.withValuesFile(Path.of(call.valuesFile()));
        if (call.timeoutSeconds() > 0) c.withTimeout(call.timeoutSeconds());
        if (call.description() != null) c.withDescription(call.description());
        if (call.kubeVersion() != null) c.withKubeVersion(call.kubeVersion());
        if (call.dryRun() != null) c.dryRun().withDryRunOption("server".equals(call.dryRun()) ? DryRun.SERVER : DryRun.CLIENT);
        if (call.has(Flag.CREATE_NAMESPACE)) c.createNamespace();
        if (call.has(Flag.WAIT)) c.waitReady();
        if (call.has(Flag.SKIP_CRDS)) c.skipCrds();
        if (call.has(Flag.DEBUG)) c.debug();
        if (call.has(Flag.CLIENT_ONLY)) {
            c.clientOnly();
        } else if (call.kubeConfigFile() != null) {
            c.withKubeConfig(Path.of(call.kubeConfigFile()));
        } else if (call.kubeConfigContents() != null) {
            c.withKubeConfigContents(call.kubeConfigContents());
        }
        return released(c.call());
    }

    private static HelmCall.Result upgrade(HelmCall call) {
        UpgradeCommand c = Helm.upgrade(call.chart()).withName(call.name()).withNamespace(call.namespace());
        if (call.version() != null) c.withVersion(call.version());
        if (call.valuesFile() != null) c.withValuesFile(Path.of(call.valuesFile()));
        if (call.timeoutSeconds() > 0) c.withTimeout(call.timeoutSeconds());
        if (call.description() != null) c.withDescription(call.description());
        if (call.kubeVersion() != null) c.withKubeVersion(call.kubeVersion());
        if (call.dryRun() != null) c.dryRun().withDryRunOption("server".equals(call.dryRun()) ? DryRun.SERVER : DryRun.CLIENT);
        if (call.has(Flag.CREATE_NAMESPACE)) c.createNamespace();
        if (call.has(Flag.WAIT)) c.waitReady();
        if (call.has(Flag.SKIP_CRDS)) c.skipCrds();
        if (call.has(Flag.INSTALL_IF_ABSENT)) c.install();
        if (call.has(Flag.REUSE_VALUES)) c.reuseValues();
        if (call.has(Flag.RESET_VALUES)) c.resetValues();
        if (call.has(Flag.FORCE)) c.force();
        if (call.has(Flag.CLEANUP_ON_FAIL)) c.cleanupOnFail();
        if (call.has(Flag.DEBUG)) c.debug();
        if (call.kubeConfigFile() != null) {
            c.withKubeConfig(Path.of(call.kubeConfigFile()));
        } else if (call.kubeConfigContents() != null) {
            c.withKubeConfigContents(call.kubeConfigContents());
        }
        return released(c.call());
    }

    private static HelmCall.Result released(com.marcnuri.helm.Release r) {
        String rev = r.getRevision();
        return new HelmCall.Result(r.getOutput(), rev == null || rev.isBlank() ? 0 : Integer.parseInt(rev.trim()), null, false);
    }

    private static HelmCall.Result uninstall(HelmCall call) {
        UninstallCommand c = Helm.uninstall(call.name()).withNamespace(call.namespace());
        if (call.has(Flag.KEEP_HISTORY)) c.keepHistory();
        if (call.kubeConfigFile() != null) {
            c.withKubeConfig(Path.of(call.kubeConfigFile()));
        } else if (call.kubeConfigContents() != null) {
            c.withKubeConfigContents(call.kubeConfigContents());
        }
        return new HelmCall.Result(c.call(), 0, null, false);
    }

    private static HelmCall.Result test(HelmCall call) {
        com.marcnuri.helm.TestCommand c = Helm.test(call.name()).withNamespace(call.namespace());
        if (call.timeoutSeconds() > 0) c.withTimeout(call.timeoutSeconds());
        if (call.kubeConfigFile() != null) {
            c.withKubeConfig(Path.of(call.kubeConfigFile()));
        } else if (call.kubeConfigContents() != null) {
            c.withKubeConfigContents(call.kubeConfigContents());
        }
        return released(c.call());
    }

    private static HelmCall.Result template(HelmCall call) {
        TemplateCommand c = Helm.template(call.chart()).withName(call.name()).withNamespace(call.namespace());
        if (call.version() != null) c.withVersion(call.version());
        if (call.valuesFile() != null) c.withValuesFile(Path.of(call.valuesFile()));
        if (call.kubeVersion() != null) c.withKubeVersion(call.kubeVersion());
        if (call.has(Flag.SKIP_CRDS)) c.skipCrds();
        return new HelmCall.Result(c.call(), 0, null, false);
    }

    private static HelmCall.Result lint(HelmCall call) {
        LintCommand c = new Helm(Path.of(call.chart())).lint();
        if (call.has(Flag.STRICT)) c.strict();
        LintResult r = c.call();
        return new HelmCall.Result("", 0, r.getMessages(), r.isFailed());
    }
}
