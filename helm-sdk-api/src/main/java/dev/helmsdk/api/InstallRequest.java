package dev.helmsdk.api;

import dev.helmsdk.api.spi.DeploySpec;
import dev.helmsdk.api.spi.HelmEngine;

/** An install of a new release. Fails with {@link ReleaseAlreadyExistsException} if the name is in use. */
public final class InstallRequest extends DeployRequest<InstallRequest> {

    InstallRequest(HelmEngine engine, DeploySpec spec) {
        super(engine, Operation.INSTALL, spec);
    }

    @Override
    InstallRequest copy(DeploySpec changed) {
        return new InstallRequest(engine, changed);
    }

    @Override
    public Release run() {
        return engine.install(requireChart());
    }
}
