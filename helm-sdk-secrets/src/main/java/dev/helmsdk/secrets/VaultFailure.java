package dev.helmsdk.secrets;

import dev.helmsdk.api.secrets.SecretResolutionException.Reason;

/**
 * A Vault call failed, for a reason kind and with a message that holds no token, value or response
 * body. Internal: {@link VaultResolver} turns it into a {@code SecretResolutionException} naming the
 * reference, which the internals do not know.
 */
final class VaultFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    VaultFailure(Reason reason, String detail) {
        super(detail, null, false, false); // a control-flow signal: no stack trace, no suppression
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
