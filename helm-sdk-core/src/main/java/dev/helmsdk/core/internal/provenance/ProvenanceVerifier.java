package dev.helmsdk.core.internal.provenance;

import dev.helmsdk.api.ChartVerificationException;
import dev.helmsdk.api.ChartVerificationException.Reason;
import dev.helmsdk.api.InvalidRequestException;
import dev.helmsdk.api.Operation;
import dev.helmsdk.core.internal.source.Digests;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Helm's {@code Signatory.Verify}: the clear signature checked against a keyring (Go's
 * {@code openpgp.CheckDetachedSignature}), then the archive's sha256 against the signed {@code files:} entry for its
 * file name. Keyrings are GnuPG's legacy binary format ({@code pubring.gpg}, {@code gpg --export}) or ASCII-armored
 * ({@code gpg --export --armor}, several blocks concatenated); secret keyrings are read for their public keys, as Go
 * does. Stateless.
 */
public final class ProvenanceVerifier {

    /** Where a verification ended; {@code provenance} is the {@code .prov} verified, to save beside a pulled archive. */
    public record Result(String keyId, String fingerprint, List<String> userIds, String chartName, String chartVersion,
                         String digest, String fileName, byte[] provenance) {
        public Result {
            userIds = List.copyOf(userIds);
        }
    }

    /** A keyring read once, for many verifications. */
    public static final class Keyring {
        private final List<PGPPublicKeyRing> rings;
        private final String name;

        private Keyring(List<PGPPublicKeyRing> rings, String name) {
            this.rings = List.copyOf(rings);
            this.name = name;
        }

        /** The file it was read from. */
        public String name() {
            return name;
        }
    }

    private static final java.util.regex.Pattern ARMORED_BLOCK = java.util.regex.Pattern.compile(
            "-----BEGIN PGP (PUBLIC|PRIVATE) KEY BLOCK-----.*?-----END PGP \\1 KEY BLOCK-----", java.util.regex.Pattern.DOTALL);

    private ProvenanceVerifier() {
    }

    /** Reads a keyring file: binary packets or ASCII armor; a GnuPG keybox ({@code pubring.kbx}) is refused with the fix. */
    public static Keyring keyring(Operation op, String chart, Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ChartVerificationException(op, chart, Reason.BAD_KEYRING, "keyring " + file + " cannot be read: " + e, e);
        }
        if (bytes.length >= 12 && new String(bytes, 8, 4, StandardCharsets.ISO_8859_1).equals("KBXf")) {
            throw new ChartVerificationException(op, chart, Reason.BAD_KEYRING, "keyring " + file + " is a GnuPG keybox (pubring.kbx);"
                    + " give a keyring as Helm reads it: gpg --export > pubring.gpg (or --export --armor)", null);
        }
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            if (text.stripLeading().startsWith("-----BEGIN PGP")) {
                // Concatenated exports (cat a.asc b.asc): every armored block, as GnuPG imports them.
                java.util.regex.Matcher m = ARMORED_BLOCK.matcher(text);
                while (m.find()) {
                    try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.ISO_8859_1)))) {
                        read(in, rings);
                    }
                }
            } else {
                read(new ByteArrayInputStream(bytes), rings);
            }
        } catch (IOException | RuntimeException e) {
            throw new ChartVerificationException(op, chart, Reason.BAD_KEYRING, "keyring " + file + " is not an OpenPGP keyring"
                    + " (gpg --export > pubring.gpg, or --export --armor): " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new ChartVerificationException(op, chart, Reason.BAD_KEYRING, "keyring " + file + " holds no public key", null);
        }
        return new Keyring(rings, file.toString());
    }

    private static void read(InputStream in, List<PGPPublicKeyRing> rings) throws IOException {
        PGPObjectFactory f = new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
        Object o;
        while ((o = f.nextObject()) != null) {
            if (o instanceof PGPPublicKeyRing p) {
                rings.add(p);
            } else if (o instanceof PGPSecretKeyRing s) {
                List<PGPPublicKey> keys = new ArrayList<>();
                s.getPublicKeys().forEachRemaining(keys::add);
                rings.add(new PGPPublicKeyRing(keys));
            }
        }
    }

    /**
     * Verifies {@code provenance} for the archive.
     *
     * @param chart    the chart as the caller named it, for messages
     * @param fileName the archive's file name, the key in {@code files:} (Helm: the base name of the archive)
     * @throws ChartVerificationException naming the chart and what failed
     */
    public static Result verify(Operation op, String chart, byte[] archive, String fileName, byte[] provenance, Keyring keyring) {
        ProvenanceFile prov;
        ProvenanceFile.MessageBlock block;
        try {
            prov = ProvenanceFile.parse(provenance);
            block = prov.messageBlock();
        } catch (ProvenanceFile.Malformed e) {
            throw new ChartVerificationException(op, chart, Reason.MALFORMED_PROVENANCE, "the provenance of chart " + chart
                    + " is not a clear-signed Helm provenance file: " + e.getMessage(), null);
        }
        PGPSignature signature = signature(op, chart, prov);
        PGPPublicKey key = null;
        PGPPublicKeyRing ring = null;
        for (PGPPublicKeyRing r : keyring.rings) {
            PGPPublicKey k = r.getPublicKey(signature.getKeyID());
            if (k != null) {
                key = k;
                ring = r;
                break;
            }
        }
        String keyId = hexKeyId(signature.getKeyID());
        if (key == null) {
            throw new ChartVerificationException(op, chart, Reason.UNKNOWN_KEY, "chart " + chart + " was signed with key " + keyId
                    + ", which is not in keyring " + keyring.name + " (import the signer's public key, or the chart is not theirs)", null);
        }
        PGPPublicKey primary = ring.getPublicKey();
        checkKeyValid(op, chart, key, primary, signature, keyId);
        boolean good;
        try {
            signature.init(new BcPGPContentVerifierBuilderProvider(), key);
            signature.update(prov.signedBytes());
            good = signature.verify();
        } catch (PGPException | RuntimeException e) {
            throw new ChartVerificationException(op, chart, Reason.BAD_SIGNATURE, "the signature on chart " + chart
                    + "'s provenance cannot be checked: " + e.getMessage(), e);
        }
        if (!good) {
            throw new ChartVerificationException(op, chart, Reason.BAD_SIGNATURE, "the signature on chart " + chart
                    + "'s provenance (key " + keyId + ") does not match its text: the .prov was changed after it was signed", null);
        }
        if (!prov.hashHeaders().isEmpty() && !prov.hashHeaders().contains(hashName(signature.getHashAlgorithm()))) {
            throw new ChartVerificationException(op, chart, Reason.BAD_SIGNATURE, "the provenance of chart " + chart
                    + " declares Hash: " + String.join(",", prov.hashHeaders()) + " but is signed with "
                    + hashName(signature.getHashAlgorithm()), null);
        }
        String actual = "sha256:" + Digests.sha256(archive);
        String signed = block.files().get(fileName);
        if (signed == null) {
            throw new ChartVerificationException(op, chart, Reason.DIGEST_MISMATCH, "the provenance of chart " + chart
                    + " does not contain a SHA for a file named \"" + fileName + "\" (it lists " + block.files().keySet() + ")", null);
        }
        if (!signed.equals(actual)) {
            throw new ChartVerificationException(op, chart, Reason.DIGEST_MISMATCH, "sha256 sum does not match for " + fileName
                    + " of chart " + chart + ": the signed " + signed + " != the archive's " + actual
                    + "; the archive was changed after it was signed", null);
        }
        List<String> ids = new ArrayList<>();
        primary.getUserIDs().forEachRemaining(ids::add);
        return new Result(keyId, Hex.toHexString(primary.getFingerprint()).toUpperCase(Locale.ROOT), ids,
                ProvenanceFile.chartField(block.chartYaml(), "name").orElse(""),
                ProvenanceFile.chartField(block.chartYaml(), "version").orElse(""), actual, fileName, provenance);
    }

    private static PGPSignature signature(Operation op, String chart, ProvenanceFile prov) {
        try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(prov.armoredSignature().getBytes(StandardCharsets.US_ASCII)))) {
            Object o = new PGPObjectFactory(in, new BcKeyFingerprintCalculator()).nextObject();
            if (o instanceof PGPSignatureList list && !list.isEmpty()) {
                PGPSignature s = list.get(0);
                if (s.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT || s.getSignatureType() == PGPSignature.BINARY_DOCUMENT) {
                    return s;
                }
                throw new IOException("its signature is of type " + s.getSignatureType() + ", not a document signature");
            }
            throw new IOException("its signature block holds no signature");
        } catch (IOException | RuntimeException e) {
            throw new ChartVerificationException(op, chart, Reason.MALFORMED_PROVENANCE, "the provenance of chart " + chart
                    + " has no readable signature: " + e.getMessage(), e);
        }
    }

    /** Revoked or expired keys, and subkeys their primary does not bind, sign nothing (as Go's openpgp and gpg). */
    private static void checkKeyValid(Operation op, String chart, PGPPublicKey key, PGPPublicKey primary, PGPSignature signature, String keyId) {
        if (primary.hasRevocation() || key.hasRevocation()) {
            throw new ChartVerificationException(op, chart, Reason.KEY_NOT_VALID, "chart " + chart + " was signed with key " + keyId
                    + ", which is revoked", null);
        }
        long valid = key.getValidSeconds();
        if (valid > 0 && signature.getCreationTime().getTime() > key.getCreationTime().getTime() + valid * 1000) {
            throw new ChartVerificationException(op, chart, Reason.KEY_NOT_VALID, "chart " + chart + " was signed with key " + keyId
                    + " after the key expired", null);
        }
        if (key != primary && !bound(key, primary)) {
            throw new ChartVerificationException(op, chart, Reason.KEY_NOT_VALID, "chart " + chart + " was signed with subkey " + keyId
                    + ", which its primary key " + hexKeyId(primary.getKeyID()) + " does not bind", null);
        }
    }

    private static boolean bound(PGPPublicKey subkey, PGPPublicKey primary) {
        Iterator<PGPSignature> sigs = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
        while (sigs.hasNext()) {
            PGPSignature s = sigs.next();
            try {
                s.init(new BcPGPContentVerifierBuilderProvider(), primary);
                if (s.verifyCertification(primary, subkey)) {
                    return true;
                }
            } catch (PGPException | RuntimeException e) {
                // not this one
            }
        }
        return false;
    }

    private static String hexKeyId(long id) {
        return String.format(Locale.ROOT, "%016X", id);
    }

    private static String hashName(int algorithm) {
        return Optional.ofNullable(HASH_NAMES.get(algorithm)).orElse("algorithm " + algorithm);
    }

    private static final Map<Integer, String> HASH_NAMES = Map.of(HashAlgorithmTags.SHA1, "SHA1", HashAlgorithmTags.SHA224, "SHA224",
            HashAlgorithmTags.SHA256, "SHA256", HashAlgorithmTags.SHA384, "SHA384", HashAlgorithmTags.SHA512, "SHA512",
            HashAlgorithmTags.MD5, "MD5", HashAlgorithmTags.RIPEMD160, "RIPEMD160");
}
