package dev.helmsdk.api;

import dev.helmsdk.api.report.DriftReport;
import dev.helmsdk.api.spi.DriftSpec;
import dev.helmsdk.api.spi.HelmEngine;

import java.util.regex.Pattern;

/**
 * Compares a release's last deployed revision with the live cluster (Flux's drift detection): each object of the
 * revision's manifest is sent to the API server as a server-side apply dry run (field manager {@code helm}) and the
 * answer compared with the live object, with the dry-run diff's normalisation, so a freshly deployed release shows
 * no drift. Immutable.
 *
 * <p>{@link #run()} reads only: no lock, nothing written. {@link #correct()} also re-applies the drifted objects as
 * the revision has them (server-side apply, field manager {@code helm}, conflicts forced, as Flux's drift correction
 * does), under the release's lock like any change, writing no new revision; objects deleted by hand are created
 * again. Ignored fields keep their live values.
 *
 * <p>An object whose live or deployed version has the annotation {@value #OPT_OUT_ANNOTATION}{@code : disabled} is
 * neither compared nor corrected (an info finding says so). Both throw {@link ReleaseNotFoundException} when the
 * release has no revision, and {@link InvalidRequestException} when it is uninstalled.
 */
public final class DriftRequest extends ReleaseRequest<DriftRequest> {

    /** The annotation that opts an object out of drift detection and correction, with the value {@code disabled}. */
    public static final String OPT_OUT_ANNOTATION = "helm-sdk.dev/drift-detection";

    private static final Pattern POINTER = Pattern.compile("(/([^~/]|~[01])*)+");
    private final DriftSpec spec;

    DriftRequest(HelmEngine engine, DriftSpec spec) {
        super(engine, Operation.DRIFT);
        this.spec = java.util.Objects.requireNonNull(spec, "spec");
    }

    @Override
    DriftRequest withNamespace(String namespace) {
        return new DriftRequest(engine, spec.withNamespace(namespace));
    }

    @Override
    DriftRequest withTimeouts(Timeouts timeouts) {
        return new DriftRequest(engine, spec.withTimeouts(timeouts));
    }

    @Override
    String release() {
        return spec.releaseName();
    }

    /**
     * Leaves a field of every object out of the comparison and the correction.
     *
     * @param jsonPointer the field, such as {@code /spec/replicas} (a workload scaled by an autoscaler); it covers
     *                    everything under it
     * @throws InvalidRequestException when it is not a JSON pointer
     */
    public DriftRequest ignoring(String jsonPointer) {
        return ignoring(DriftSpec.Ignore.ANY, DriftSpec.Ignore.ANY, jsonPointer);
    }

    /**
     * Leaves a field of some objects out of the comparison and the correction.
     *
     * @param kind        the objects' kind ({@code Deployment}), or {@code *} for every kind
     * @param name        the objects' name, or {@code *} for every object of the kind
     * @param jsonPointer the field, such as {@code /data/generated}; it covers everything under it
     * @throws InvalidRequestException when it is not a JSON pointer, or the kind or name is blank
     */
    public DriftRequest ignoring(String kind, String name, String jsonPointer) {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(jsonPointer, "jsonPointer");
        if (kind.isBlank() || name.isBlank()) {
            throw new InvalidRequestException(operation, spec.releaseName(),
                    "an ignore rule needs a kind and a name (\"*\" for any), was kind '" + kind + "', name '" + name + "'");
        }
        if (!POINTER.matcher(jsonPointer).matches()) {
            throw new InvalidRequestException(operation, spec.releaseName(), "the ignore rule's path '" + jsonPointer
                    + "' is not a JSON pointer: write fields as /spec/replicas (list items by index: /spec/template/spec/containers/0/image;"
                    + " '/' in a key as ~1, '~' as ~0)");
        }
        return new DriftRequest(engine, spec.plusIgnore(new DriftSpec.Ignore(kind, name, jsonPointer)));
    }

    /** The request as an engine receives it. */
    public DriftSpec spec() {
        return spec;
    }

    /** Compares, changing nothing. */
    public DriftReport run() {
        return engine.drift(spec, false);
    }

    /**
     * Compares under the release's lock and re-applies the drifted objects as the deployed revision has them; no new
     * revision is recorded. The report lists what drifted and, in {@link DriftReport#corrected()}, what was
     * re-applied; an object the API server refused is an error finding {@code drift.correction_failed}.
     */
    public DriftReport correct() {
        return engine.drift(spec, true);
    }
}
