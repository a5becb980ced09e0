package dev.helmsdk.api.spi;

import dev.helmsdk.api.Operation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation as {@link OperationInterceptor}s see it.
 *
 * @param id          unique for each operation of a manager, e.g. to correlate {@code before} and {@code after}
 * @param operation   what it does
 * @param releaseName the release it concerns; empty for {@code list} across releases and for {@code lint}
 * @param namespace   the namespace it concerns ({@code *} for all namespaces); empty for {@code lint}
 * @param startedAt   when it started
 * @param parentId    the operation this one runs on behalf of: the change an automatic rollback undoes; empty when the caller asked for it
 * @param actor       who asked, as the caller named itself ({@code HelmManager#withActor}, the builder's default);
 *                    empty when nobody was named
 */
public record OperationEvent(String id, Operation operation, String releaseName, String namespace, Instant startedAt,
                             Optional<String> parentId, String actor) {

    /** Checks the components. */
    public OperationEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(releaseName, "releaseName");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(parentId, "parentId");
    }

    /** Longest actor name: one audit line, not a document. */
    public static final int MAX_ACTOR_LENGTH = 256;

    /**
     * Checks an actor's name as {@code HelmManager#withActor} and the builders take it: not blank, at most
     * {@link #MAX_ACTOR_LENGTH} characters, no line break or other control character (an audit trail is
     * one line per event).
     *
     * @param actor who asks
     * @return {@code actor}
     * @throws dev.helmsdk.api.InvalidRequestException when it breaks a rule, saying which
     */
    public static String requireActor(String actor) {
        Objects.requireNonNull(actor, "actor");
        if (actor.isBlank()) {
            throw new dev.helmsdk.api.InvalidRequestException(Operation.CONFIGURE, null, "actor must not be blank: name who asks,"
                    + " e.g. 'ci:jenkins/deploy-shop#412' or the controller's service account");
        }
        if (actor.length() > MAX_ACTOR_LENGTH) {
            throw new dev.helmsdk.api.InvalidRequestException(Operation.CONFIGURE, null, "actor is " + actor.length()
                    + " characters long; at most " + MAX_ACTOR_LENGTH + " are allowed");
        }
        if (actor.chars().anyMatch(Character::isISOControl)) {
            throw new dev.helmsdk.api.InvalidRequestException(Operation.CONFIGURE, null,
                    "actor must be one line, without line breaks or other control characters");
        }
        return actor;
    }

    /** An event with no actor named. */
    public OperationEvent(String id, Operation operation, String releaseName, String namespace, Instant startedAt,
                          Optional<String> parentId) {
        this(id, operation, releaseName, namespace, startedAt, parentId, "");
    }

    /** Whether the SDK runs this operation on its own, to undo a failed change ({@code rollbackOnFailure()}). */
    public boolean remediation() {
        return parentId.isPresent();
    }
}
