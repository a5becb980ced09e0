package dev.helmsdk.core.internal.provenance;

import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;

/**
 * Checks that Bouncy Castle's OpenPGP, an optional dependency, is there before {@link ProvenanceVerifier} (which links
 * against it) is loaded; this class itself names none of its types.
 */
public final class OpenPgpLibrary {

    private OpenPgpLibrary() {
    }

    /** Refuses {@code op} with what to add when {@code org.bouncycastle:bcpg-jdk18on} is not on the class path. */
    public static void require(Operation op) {
        try {
            Class.forName("org.bouncycastle.openpgp.PGPSignature", false, OpenPgpLibrary.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InvalidRequestException(op, null, "verifying chart provenance needs Bouncy Castle's OpenPGP on the class path:"
                    + " add the dependency org.bouncycastle:bcpg-jdk18on (1.84, the bcprov release the SDK uses)");
        }
    }
}
