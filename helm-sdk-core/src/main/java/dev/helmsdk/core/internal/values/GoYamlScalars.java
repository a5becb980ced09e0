package dev.helmsdk.core.internal.values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Helm's YAML reader (go-yaml v2, {@code resolve.go}, under sigs.k8s.io/yaml) gives a scalar
 * its type, and how sigs.k8s.io/yaml turns a non-string key into a string. Written after
 * go.yaml.in/yaml/v2 v2.4.4, the version Helm 3.21 builds with: YAML 1.1 booleans including
 * {@code y}/{@code n}, Go's integer syntax ({@code 0x}, {@code 0o}, {@code 0b}, leading-zero
 * octal, underscores), no base-60 numbers and timestamps kept as strings.
 */
final class GoYamlScalars {

    static final String STR = "tag:yaml.org,2002:str";
    static final String BOOL = "tag:yaml.org,2002:bool";
    static final String INT = "tag:yaml.org,2002:int";
    static final String FLOAT = "tag:yaml.org,2002:float";
    static final String NULL = "tag:yaml.org,2002:null";
    static final String TIMESTAMP = "tag:yaml.org,2002:timestamp";
    static final String BINARY = "tag:yaml.org,2002:binary";
    static final String MERGE = "tag:yaml.org,2002:merge";

    /** What a plain scalar resolved to: a value of the given tag ({@code null} for a null). */
    record Resolved(String tag, Object value) {
    }

    /** Refused the way go-yaml refuses it; the message is go-yaml's. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final Map<String, Resolved> WORDS = words();
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern YAML_STYLE_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern TIMESTAMP_FORMAT = Pattern.compile(
            "\\d{4}-\\d{1,2}-\\d{1,2}([Tt]\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})| \\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d+)?)?");

    private GoYamlScalars() {
    }

    private static Map<String, Resolved> words() {
        Map<String, Resolved> m = new java.util.HashMap<>();
        for (String s : new String[]{"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
            m.put(s, new Resolved(BOOL, Boolean.TRUE));
        }
        for (String s : new String[]{"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
            m.put(s, new Resolved(BOOL, Boolean.FALSE));
        }
        for (String s : new String[]{"", "~", "null", "Null", "NULL"}) {
            m.put(s, new Resolved(NULL, null));
        }
        for (String s : new String[]{".nan", ".NaN", ".NAN"}) {
            m.put(s, new Resolved(FLOAT, Double.NaN));
        }
        for (String s : new String[]{".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
            m.put(s, new Resolved(FLOAT, Double.POSITIVE_INFINITY));
        }
        for (String s : new String[]{"-.inf", "-.Inf", "-.INF"}) {
            m.put(s, new Resolved(FLOAT, Double.NEGATIVE_INFINITY));
        }
        m.put("<<", new Resolved(MERGE, "<<"));
        return Map.copyOf(m);
    }

    /**
     * go-yaml's {@code resolve(tag, in)}, followed by what its decoder does for an untyped target:
     * binary is decoded, a timestamp stays the text.
     *
     * @param tag {@code ""} for a plain scalar without a tag, else the tag's full name
     */
    static Resolved resolve(String tag, String in) {
        if (BINARY.equals(tag)) {
            return new Resolved(BINARY, binary(in));
        }
        if (!resolvable(tag)) {
            return new Resolved(tag, in);
        }
        Resolved r = implicit(tag, in);
        if (tag.isEmpty() || tag.equals(r.tag()) || tag.equals(STR)) {
            return r.tag().equals(TIMESTAMP) ? new Resolved(TIMESTAMP, in) : r;
        }
        if (tag.equals(FLOAT) && r.tag().equals(INT) && !(r.value() instanceof BigInteger)) {
            return new Resolved(FLOAT, ((Number) r.value()).doubleValue());
        }
        throw new Refused("cannot decode " + shortTag(r.tag()) + " `" + in + "` as a " + shortTag(tag));
    }

    private static boolean resolvable(String tag) {
        return switch (tag) {
            case "", STR, BOOL, INT, FLOAT, NULL, TIMESTAMP -> true;
            default -> false;
        };
    }

    private static Resolved implicit(String tag, String in) {
        char hint = in.isEmpty() ? 'N' : hint(in.charAt(0));
        if (hint == 0 || tag.equals(STR)) {
            return new Resolved(STR, in);
        }
        Resolved word = WORDS.get(in);
        if (word != null) {
            return word;
        }
        if (hint == '.') {
            // Go's ParseFloat; out of range is an error there, so the text stays a string.
            if (DOT_FLOAT.matcher(in).matches()) {
                double d = Double.parseDouble(in);
                if (!Double.isInfinite(d)) {
                    return new Resolved(FLOAT, d);
                }
            }
        } else if (hint == 'D' || hint == 'S') {
            if ((tag.isEmpty() || tag.equals(TIMESTAMP)) && TIMESTAMP_FORMAT.matcher(in).matches()) {
                return new Resolved(TIMESTAMP, in);
            }
            String plain = in.replace("_", "");
            Optional<Object> integer = goParseInt(plain);
            if (integer.isPresent()) {
                return new Resolved(INT, integer.get());
            }
            if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
                double d = Double.parseDouble(plain);
                if (!Double.isInfinite(d)) {
                    return new Resolved(FLOAT, d);
                }
            }
            // go-yaml's own fallback for binary, after ParseInt (which knows 0b already) failed.
            Optional<BigInteger> bits = plain.startsWith("0b") ? signedDigits(plain.substring(2), 2)
                    : plain.startsWith("-0b") ? signedDigits("-" + plain.substring(3), 2) : Optional.empty();
            if (bits.isPresent()) {
                Optional<Object> fits = fitted(bits.get(), plain.startsWith("0b") && Character.isDigit(plain.charAt(2)));
                if (fits.isPresent()) {
                    return new Resolved(INT, fits.get());
                }
            }
        }
        return new Resolved(STR, in);
    }

    private static char hint(char c) {
        if (c == '+' || c == '-') {
            return 'S';
        }
        if (c >= '0' && c <= '9') {
            return 'D';
        }
        if ("yYnNtTfFoO~".indexOf(c) >= 0) {
            return 'M';
        }
        return c == '.' ? '.' : 0;
    }

    /** Go's {@code strconv.ParseInt(s, 0, 64)}, then {@code ParseUint}: a Long, or a BigInteger up to 2^64-1. */
    private static Optional<Object> goParseInt(String s) {
        boolean signed = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-');
        boolean negative = signed && s.charAt(0) == '-';
        String body = signed ? s.substring(1) : s;
        int radix = 10;
        if (body.length() >= 2 && body.charAt(0) == '0') {
            char p = Character.toLowerCase(body.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                body = body.substring(2);
            } else {
                radix = 8;
                body = body.substring(1);
            }
        }
        Optional<BigInteger> v = digits(body, radix);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        BigInteger n = negative ? v.get().negate() : v.get();
        return fitted(n, !signed);
    }

    /** int64, or (for an unsigned text) uint64 as go-yaml returns them; empty when out of range. */
    private static Optional<Object> fitted(BigInteger n, boolean unsignedAllowed) {
        if (n.bitLength() < 64) {
            long l = n.longValue();
            return Optional.of(l == (int) l ? (Object) (int) l : (Object) l);
        }
        if (unsignedAllowed && n.signum() > 0 && n.compareTo(UINT64_MAX) <= 0) {
            return Optional.of(n);
        }
        return Optional.empty();
    }

    private static Optional<BigInteger> signedDigits(String s, int radix) {
        boolean signed = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-');
        return digits(signed ? s.substring(1) : s, radix).map(v -> s.startsWith("-") ? v.negate() : v);
    }

    private static Optional<BigInteger> digits(String s, int radix) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 127 || Character.digit(c, radix) < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new BigInteger(s, radix));
    }

    /** {@code !!binary}: standard Base64 (line breaks allowed), then Go's view of the bytes as a string. */
    private static String binary(String in) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(in.replace("\n", "").replace("\r", ""));
        } catch (IllegalArgumentException e) {
            throw new Refused("!!binary value contains invalid base64 data");
        }
        return GoStrings.fromBytes(bytes);
    }

    private static String shortTag(String tag) {
        return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring("tag:yaml.org,2002:".length()) : tag;
    }

    /**
     * sigs.k8s.io/yaml's conversion of a map key to a JSON key; empty for the kinds it refuses
     * (null, an integer past 2^63-1).
     */
    static Optional<String> jsonKey(Object key) {
        if (key instanceof String s) {
            return Optional.of(s);
        }
        if (key instanceof Integer || key instanceof Long) {
            return Optional.of(key.toString());
        }
        if (key instanceof Boolean b) {
            return Optional.of(b.toString());
        }
        if (key instanceof Double d) {
            return Optional.of(formatFloat32(d));
        }
        return Optional.empty();
    }

    /** The fewest significant digits that read back as {@code f} (JDK 17's Float.toString is not always shortest). */
    private static BigDecimal shortest(float f) {
        BigDecimal exact = new BigDecimal(f);
        for (int digits = 1; digits < 9; digits++) {
            BigDecimal d = exact.round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
            if (d.floatValue() == f) {
                return d.stripTrailingZeros();
            }
        }
        return exact.round(new java.math.MathContext(9, java.math.RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 32)}, with go-yaml's names for infinities and NaN. */
    static String formatFloat32(double value) {
        float f = (float) value;
        if (Float.isNaN(f)) {
            return ".nan";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? ".inf" : "-.inf";
        }
        boolean negative = f < 0 || (f == 0 && 1 / f < 0);
        BigDecimal shortest = shortest(Math.abs(f));
        if (shortest.signum() == 0) {
            return negative ? "-0" : "0";
        }
        String digits = shortest.unscaledValue().toString();
        int dp = digits.length() - shortest.scale(); // position of the decimal point, as in Go's decimal
        int exp = dp - 1;
        StringBuilder b = new StringBuilder(negative ? "-" : "");
        if (exp < -4 || exp >= 6) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) {
                b.append('.').append(digits, 1, digits.length());
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            b.append(e < 10 ? "0" : "").append(e);
        } else if (dp <= 0) {
            b.append("0.").append("0".repeat(-dp)).append(digits);
        } else if (dp >= digits.length()) {
            b.append(digits).append("0".repeat(dp - digits.length()));
        } else {
            b.append(digits, 0, dp).append('.').append(digits, dp, digits.length());
        }
        return b.toString();
    }
}
