package dev.helmsdk.core.internal.values;

/** Go's view of bytes as text, where it differs from Java's. */
final class GoStrings {

    private GoStrings() {
    }

    /**
     * The string Helm ends up with for these bytes: Go keeps them as they are, and its JSON encoder
     * later replaces every byte that does not start a valid UTF-8 sequence with U+FFFD, one per
     * byte (Java's decoder would replace a broken sequence once).
     */
    static String fromBytes(byte[] b) {
        StringBuilder out = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            int cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
            boolean ok = n > 0 && i + n <= b.length;
            for (int k = 1; ok && k < n; k++) {
                int cont = b[i + k] & 0xFF;
                // The second byte's range rules out overlong forms, surrogates and values past U+10FFFF, as Go's utf8 does.
                int lo = k > 1 ? 0x80 : c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
                int hi = k > 1 ? 0xBF : c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
                ok = cont >= lo && cont <= hi;
                cp = cp << 6 | cont & 0x3F;
            }
            if (ok) {
                out.appendCodePoint(cp);
                i += n;
            } else {
                out.append('\uFFFD');
                i++;
            }
        }
        return out.toString();
    }
}
