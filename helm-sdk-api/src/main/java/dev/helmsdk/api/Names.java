package dev.helmsdk.api;

import java.util.regex.Pattern;

/** Helm's and Kubernetes' naming rules, checked before anything is sent to the cluster. */
final class Names {

    /** Helm's release name rule: lowercase DNS-1123 subdomain, at most 53 characters. */
    static final int MAX_RELEASE_NAME = 53;
    private static final Pattern RELEASE = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

    private Names() {
    }

    /** An actor's name as {@link dev.helmsdk.api.spi.OperationEvent#requireActor} checks it. */
    static String actor(String actor) {
        return dev.helmsdk.api.spi.OperationEvent.requireActor(actor);
    }

    static String releaseName(Operation op, String name) {
        java.util.Objects.requireNonNull(name, "releaseName");
        if (name.isEmpty()) {
            throw new InvalidRequestException(op, null, "release name must not be empty");
        }
        if (name.length() > MAX_RELEASE_NAME) {
            throw new InvalidRequestException(op, null, "release name '" + name + "' is " + name.length()
                    + " characters long; Helm allows at most " + MAX_RELEASE_NAME);
        }
        if (!RELEASE.matcher(name).matches()) {
            throw new InvalidRequestException(op, null, "release name '" + name + "' is invalid: use lowercase letters,"
                    + " digits, '-' and '.', starting and ending with a letter or digit (e.g. 'my-app')");
        }
        return name;
    }

    static String namespace(Operation op, String release, String namespace) {
        java.util.Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty()) {
            throw new InvalidRequestException(op, release, "namespace must not be empty");
        }
        if (namespace.length() > 63 || !NAMESPACE.matcher(namespace).matches()) {
            throw new InvalidRequestException(op, release, "namespace '" + namespace + "' is invalid: use at most 63"
                    + " lowercase letters, digits and '-', starting and ending with a letter or digit");
        }
        return namespace;
    }
}
