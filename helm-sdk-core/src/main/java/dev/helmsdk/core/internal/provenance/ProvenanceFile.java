package dev.helmsdk.core.internal.provenance;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Helm {@code .prov} file taken apart without any cryptography: the clear-signed message (RFC 4880 section 7, read as
 * Go's {@code clearsign.Decode} reads it: dash-escapes removed, trailing blanks trimmed, lines joined with CRLF for
 * the hash, no final line end) and, in its text, Helm's message block ({@code Chart.yaml}, a {@code ...} line, then
 * {@code files:} with {@code <archive>: sha256:<hex>}).
 *
 * @param hashHeaders      the {@code Hash:} armor header's algorithms (empty when there is none)
 * @param signedBytes      the bytes the signature covers
 * @param plaintext        the text, each line ending in {@code \n}
 * @param armoredSignature the {@code -----BEGIN PGP SIGNATURE-----} block
 */
public record ProvenanceFile(List<String> hashHeaders, byte[] signedBytes, String plaintext, String armoredSignature) {

    private static final String BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final String END_SIGNATURE = "-----END PGP SIGNATURE-----";

    /** Why a file is not a clear-signed Helm provenance document. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * The signed {@code Chart.yaml} and the checksums.
     *
     * @param chartYaml the metadata part, as signed
     * @param files     archive file name to {@code sha256:<hex>}
     */
    public record MessageBlock(String chartYaml, Map<String, String> files) {
        public MessageBlock {
            files = Map.copyOf(files);
        }
    }

    public ProvenanceFile {
        hashHeaders = List.copyOf(hashHeaders);
        signedBytes = signedBytes.clone();
    }

    @Override
    public byte[] signedBytes() {
        return signedBytes.clone();
    }

    /** Parses a clear-signed message; text before the first {@code BEGIN PGP SIGNED MESSAGE} line is ignored, as by Go. */
    public static ProvenanceFile parse(byte[] file) throws Malformed {
        String[] lines = new String(file, StandardCharsets.UTF_8).split("\n", -1);
        int i = 0;
        while (i < lines.length && !trimEnd(lines[i]).equals(BEGIN)) {
            i++;
        }
        if (i == lines.length) {
            throw new Malformed("it holds no '" + BEGIN + "' line (not a clear-signed message)");
        }
        i++;
        List<String> hashes = new ArrayList<>();
        for (; i < lines.length && !trimEnd(lines[i]).isEmpty(); i++) {
            String header = trimEnd(lines[i]);
            int colon = header.indexOf(": ");
            if (colon <= 0) {
                throw new Malformed("armor header line '" + header + "' is not 'Name: value'");
            }
            if (header.substring(0, colon).equals("Hash")) {
                for (String h : header.substring(colon + 2).split(",")) {
                    hashes.add(h.trim());
                }
            }
        }
        if (i == lines.length) {
            throw new Malformed("the armor headers are not followed by an empty line and the signed text");
        }
        i++;
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder();
        boolean first = true;
        for (; i < lines.length && !trimEnd(lines[i]).equals(BEGIN_SIGNATURE); i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.startsWith("- ")) {
                line = line.substring(2);
            }
            line = trimEnd(line);
            if (!first) {
                signed.writeBytes(new byte[] {'\r', '\n'});
            }
            first = false;
            signed.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            text.append(line).append('\n');
        }
        if (i == lines.length) {
            throw new Malformed("it has no '" + BEGIN_SIGNATURE + "' block");
        }
        StringBuilder signature = new StringBuilder();
        for (; i < lines.length; i++) {
            signature.append(trimEnd(lines[i])).append('\n');
            if (trimEnd(lines[i]).equals(END_SIGNATURE)) {
                return new ProvenanceFile(hashes, signed.toByteArray(), text.toString(), signature.toString());
            }
        }
        throw new Malformed("its signature block has no '" + END_SIGNATURE + "' line");
    }

    /**
     * Helm's {@code parseMessageBlock}: the text split at {@code \n...\n}; the first part is {@code Chart.yaml}, the
     * second the checksums (YAML with a {@code files:} map).
     */
    public MessageBlock messageBlock() throws Malformed {
        String[] parts = plaintext.split("\n\\.\\.\\.\n", -1);
        if (parts.length < 2) {
            throw new Malformed("message block must have at least two parts (Chart.yaml, a '...' line, then files:)");
        }
        Object sums;
        try {
            sums = new Yaml(new SafeConstructor(new LoaderOptions())).load(parts[1]);
        } catch (RuntimeException e) {
            throw new Malformed("its checksums part is not YAML: " + e.getMessage());
        }
        Map<String, String> files = new LinkedHashMap<>();
        if (sums instanceof Map<?, ?> m && m.get("files") instanceof Map<?, ?> f) {
            f.forEach((k, v) -> files.put(String.valueOf(k), String.valueOf(v)));
        } else if (sums != null && !(sums instanceof Map<?, ?>)) {
            throw new Malformed("its checksums part is not a YAML map with files:");
        }
        return new MessageBlock(parts[0], files);
    }

    /** The signed {@code Chart.yaml}'s value for {@code key} ({@code name}, {@code version}), if it is there. */
    public static Optional<String> chartField(String chartYaml, String key) {
        try {
            Object meta = new Yaml(new SafeConstructor(new LoaderOptions())).load(chartYaml);
            return meta instanceof Map<?, ?> m && m.get(key) != null ? Optional.of(String.valueOf(m.get(key))) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String trimEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
