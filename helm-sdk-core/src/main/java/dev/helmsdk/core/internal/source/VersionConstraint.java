package dev.helmsdk.core.internal.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart version constraint as Helm 3 understands it ({@code helm install --version},
 * dependency versions), implemented to behave exactly like {@code semver.NewConstraint} and
 * {@code Constraints.Check} of Masterminds/semver v3.4 (the version Helm 3.19+ links).
 *
 * <p>Supported: {@code = != > < >= => <= =<}, tilde {@code ~}/{@code ~>}, caret {@code ^},
 * wildcards {@code x X *} in any position, hyphen ranges {@code 1.2 - 1.4.5}, AND with
 * whitespace or commas, OR with {@code ||}, optional whitespace between operator and version.
 *
 * <p>Prerelease rule (v3.4): a prerelease version can only match an OR alternative in which at
 * least one constraint carries a prerelease itself; {@code >=1.0.0} never matches
 * {@code 1.1.0-beta.1}, {@code >=1.1.0-0} does, and so does {@code >=1.1.0-0 <2}.
 *
 * <p>Masterminds quirks are mirrored on purpose so that we resolve the same chart version
 * Helm would: e.g. {@code ~0.0.0} matches everything, {@code ^*} only matches {@code 0.0.0},
 * {@code !=*} means {@code !=0.0.0}, and {@code x.2.3} means {@code *}.
 */
final class VersionConstraint {

    // Go's \s is [\t\n\f\r ]; Java's \s also contains \x0B, so spell it out.
    private static final String WS = "[\\t\\n\\f\\r ]";
    // Masterminds' cvRegex; note the '|' inside the first classes is literal, as in Go. The
    // identifier loops are possessive (same matches here, as nothing after them can start with
    // '.') because Java recurses per iteration of a greedy group and overflows on long input.
    private static final String CV = "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"
            + "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*+))?"
            + "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*+))?";
    // Alternation order matters (leftmost-first), and includes the empty operator, as in Go.
    private static final String OPS = "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^";

    /** One operator and version, as Masterminds parses it ({@link ConstraintPart#parse}). */
    static final Pattern CONSTRAINT =
            Pattern.compile(WS + "*(" + OPS + ")" + WS + "*(" + CV + ")" + WS + "*");
    private static final Pattern RANGE =
            Pattern.compile(WS + "*(" + CV + ")" + WS + "+-" + WS + "+(" + CV + ")" + WS + "*");
    private static final Pattern FIND = Pattern.compile("(" + OPS + ")" + WS + "*(" + CV + ")");
    // Go's validConstraintRegex is  \s*OP\s*CV\s*((\s+|,\s*)OP\s*CV\s*)*  ; this is the same
    // language, rearranged so every loop can be possessive: Java's greedy group loops recurse per
    // iteration (StackOverflowError on long input) and can backtrack exponentially over blanks.
    private static final Pattern VALID = Pattern.compile(
            WS + "*+(?:" + OPS + ")" + WS + "*+(?:" + CV + ")"
                    + "(?:(?:" + WS + "++,?|,)" + WS + "*+(?:" + OPS + ")" + WS + "*+(?:" + CV + "))*+"
                    + WS + "*+");

    // Only used to name the offending piece in error messages.
    private static final Pattern OP_AND_VERSION =
            Pattern.compile("(" + OPS + ")" + WS + "*(" + CV + ")(?=$|" + WS + "|,)");
    private static final Pattern RANGE_HEAD = Pattern.compile("(" + CV + ")" + WS + "+-" + WS + "+");
    private static final Pattern RANGE_FULL =
            Pattern.compile("(" + CV + ")" + WS + "+-" + WS + "+(" + CV + ")(?=$|" + WS + "|,)");
    private static final Pattern BAD_TOKEN =
            Pattern.compile("[<>=!~^]*" + WS + "*[^\\t\\n\\f\\r ,]*");
    private static final Pattern SEPARATOR = Pattern.compile(WS + "*(," + WS + "*)?");
    private static final Pattern LEADING_WS = Pattern.compile(WS + "*");
    private static final Pattern DANGLING_DASH = Pattern.compile("-" + WS + "*[^\\t\\n\\f\\r ,]*");

    /** Longest constraint text accepted; real ones are a few dozen characters. */
    static final int MAX_LENGTH = 1024;

    private static final VersionConstraint LATEST = parse("*");

    private final String text;
    private final List<List<ConstraintPart>> alternatives;
    // Per OR alternative: whether any constraint in it has a prerelease (opts the group into them).
    private final boolean[] includePrerelease;

    private VersionConstraint(String text, List<List<ConstraintPart>> alternatives, boolean[] includePrerelease) {
        this.text = text;
        this.alternatives = alternatives;
        this.includePrerelease = includePrerelease;
    }

    /**
     * Parses a Helm/Masterminds constraint such as {@code ">=1.2 <2.0 || ^3"}.
     *
     * @param text the constraint text
     * @return the parsed constraint
     * @throws IllegalArgumentException when Masterminds would reject it, or when it is longer than
     *     1024 characters; the message quotes the whole constraint and names the bad part, e.g.
     *     {@code invalid version constraint '>=1.2 <<2': cannot parse '<<2'}
     * @throws NullPointerException when {@code text} is null
     */
    public static VersionConstraint parse(String text) {
        Objects.requireNonNull(text, "version constraint");
        if (text.length() > MAX_LENGTH) {
            // Deviation from Go (whose RE2 is linear): Java's unanchored regex search is quadratic,
            // so absurd input is refused up front instead of burning CPU.
            throw new IllegalArgumentException("invalid version constraint '" + text.substring(0, 40)
                    + "...': longer than " + MAX_LENGTH + " characters");
        }
        if (text.isBlank()) {
            throw invalid(text, "empty constraint");
        }
        String rewritten = rewriteRanges(text);
        List<String> ors = splitOr(rewritten);
        List<List<ConstraintPart>> alternatives = new ArrayList<>(ors.size());
        boolean[] hasPre = new boolean[ors.size()];
        for (int k = 0; k < ors.size(); k++) {
            String or = ors.get(k);
            if (!VALID.matcher(or).matches()) {
                throw invalid(text, describeBadPart(text, or));
            }
            List<ConstraintPart> and = new ArrayList<>();
            Matcher found = FIND.matcher(or);
            while (found.find()) {
                ConstraintPart p = ConstraintPart.parse(found.group());
                if (p == null) {
                    throw invalid(text, "cannot parse '" + found.group().strip() + "'");
                }
                hasPre[k] |= p.con.isPrerelease();
                and.add(p);
            }
            alternatives.add(List.copyOf(and));
        }
        return new VersionConstraint(text, List.copyOf(alternatives), hasPre);
    }

    /**
     * The constraint used when no version is given: equivalent to {@code parse("*")} (what Helm
     * uses), i.e. it matches every non-prerelease version so {@link #highest} picks the highest
     * stable version.
     *
     * @return the shared "latest stable" constraint; its {@link #toString()} is {@code "*"}
     */
    public static VersionConstraint latest() {
        return LATEST;
    }

    /**
     * @param v a version
     * @return whether {@code v} satisfies any of the OR alternatives
     */
    public boolean matches(SemVer v) {
        Objects.requireNonNull(v, "version");
        for (int i = 0; i < alternatives.size(); i++) {
            boolean all = true;
            for (ConstraintPart p : alternatives.get(i)) {
                if (!p.check(v, includePrerelease[i])) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the text is a plain full version with no operator other than {@code =}
     * ({@code "1.2.3"}, {@code "v1.2.3"}, {@code "=1.2.3"}, {@code "1.2.3-rc.1"}); callers use
     * this to fetch a tag directly without listing. Wildcards, partial versions ({@code "1.2"})
     * and anything with more than one part are not exact.
     *
     * @return whether this constraint names exactly one version
     */
    public boolean isExact() {
        return exactVersion().isPresent();
    }

    /**
     * The version text of an {@linkplain #isExact() exact} constraint as written, without the
     * operator and surrounding whitespace ({@code "= v1.2.3"} gives {@code "v1.2.3"}).
     *
     * @return the version text, or empty when this constraint is not exact
     */
    public Optional<String> exactVersion() {
        if (alternatives.size() != 1 || alternatives.get(0).size() != 1) {
            return Optional.empty();
        }
        ConstraintPart p = alternatives.get(0).get(0);
        boolean eq = p.op.isEmpty() || p.op.equals("=");
        return eq && p.full ? Optional.of(p.orig) : Optional.empty();
    }

    /**
     * The highest of {@code versions} that matches this constraint. Entries that do not parse
     * as versions (see {@link SemVer#parse}) and nulls are ignored. Among entries with equal
     * precedence (e.g. {@code 1.2.3+a} and {@code 1.2.3+b}, or {@code 1.2.3} and {@code v1.2.3})
     * one spelled exactly like an {@linkplain #exactVersion() exact} constraint wins, as Helm
     * looks for an exact string match first; otherwise the first one in iteration order wins.
     *
     * @param versions version strings as found in a repository index or a registry tag list
     * @return the matching entry exactly as given, or empty when none matches
     */
    public Optional<String> highest(Collection<String> versions) {
        String spelled = exactVersion().orElse(null);
        SemVer best = null;
        for (String s : versions) {
            Optional<SemVer> parsed = SemVer.parse(s);
            if (parsed.isEmpty() || !matches(parsed.get())) {
                continue;
            }
            SemVer v = parsed.get();
            int d = best == null ? 1 : v.compareTo(best);
            if (d > 0 || (d == 0 && s.equals(spelled) && !best.original().equals(spelled))) {
                best = v;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.original());
    }

    /** @return the constraint text exactly as given to {@link #parse} */
    @Override
    public String toString() {
        return text;
    }

    // ---------------------------------------------------------------- parsing helpers

    /**
     * Masterminds' rewriteRange: each "a - b" becomes ">= a, <= b ". Replacing the first
     * occurrence of each match in turn (rather than splicing by index) mirrors Go exactly.
     */
    private static String rewriteRanges(String in) {
        Matcher m = RANGE.matcher(in);
        String out = in;
        while (m.find()) {
            String replacement = ">= " + m.group(1) + ", <= " + m.group(11) + " ";
            int at = out.indexOf(m.group());
            if (at >= 0) {
                out = out.substring(0, at) + replacement + out.substring(at + m.group().length());
            }
        }
        return out;
    }

    /** Like Go's strings.Split(s, "||"): keeps empty pieces, which then fail validation. */
    private static List<String> splitOr(String s) {
        List<String> out = new ArrayList<>();
        int from = 0;
        int at;
        while ((at = s.indexOf("||", from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + 2;
        }
        out.add(s.substring(from));
        return out;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid version constraint '" + text + "': " + why);
    }

    /**
     * Finds the first piece a user would recognise as wrong. Works on the original text (so
     * hyphen ranges are reported as written), falling back to the failing rewritten segment.
     */
    private static String describeBadPart(String original, String failingSegment) {
        for (String or : splitOr(original)) {
            if (or.isBlank()) {
                return "empty alternative in '||' list";
            }
            String bad = firstBadPiece(or);
            if (bad != null) {
                return "cannot parse '" + bad + "'";
            }
        }
        return "cannot parse '" + failingSegment.strip() + "'";
    }

    /** Walks one OR alternative piece by piece; null when nothing looks wrong. */
    private static String firstBadPiece(String s) {
        int pos = skip(s, 0, LEADING_WS);
        int previous = -1;
        while (pos < s.length()) {
            Matcher dash = DANGLING_DASH.matcher(s).region(pos, s.length());
            if (previous >= 0 && dash.lookingAt()) {
                // e.g. "~1.2 - 1.4" or ">=1 - 2": a range needs plain versions on both sides.
                return s.substring(previous, dash.end()).strip();
            }
            previous = pos;
            if (RANGE_HEAD.matcher(s).region(pos, s.length()).lookingAt()) {
                Matcher range = RANGE_FULL.matcher(s).region(pos, s.length());
                if (!range.lookingAt()) {
                    return badRange(s, pos);
                }
                pos = range.end();
            } else {
                Matcher single = OP_AND_VERSION.matcher(s).region(pos, s.length());
                if (!single.lookingAt()) {
                    return badToken(s, pos);
                }
                pos = single.end();
            }
            // The lookaheads above guarantee a blank, a comma or the end here.
            Matcher sep = SEPARATOR.matcher(s).region(pos, s.length());
            sep.lookingAt();
            pos = sep.end();
            if (pos >= s.length() && sep.group(1) != null) {
                return ","; // a comma must be followed by another constraint
            }
        }
        return null;
    }

    /** The operator (if any) plus the following word, or the single odd character. */
    private static String badToken(String s, int pos) {
        Matcher t = BAD_TOKEN.matcher(s).region(pos, s.length());
        t.lookingAt();
        String token = t.group().strip();
        return token.isEmpty() ? s.substring(pos, pos + 1) : token;
    }

    /** A hyphen range whose upper end is broken: report "low - high..." up to the next blank. */
    private static String badRange(String s, int pos) {
        Matcher head = RANGE_HEAD.matcher(s).region(pos, s.length());
        head.lookingAt();
        Matcher t = BAD_TOKEN.matcher(s).region(head.end(), s.length());
        t.lookingAt();
        return s.substring(pos, t.end()).strip();
    }

    private static int skip(String s, int pos, Pattern p) {
        Matcher m = p.matcher(s).region(pos, s.length());
        return m.lookingAt() ? m.end() : pos;
    }

    // ---------------------------------------------------------------- single constraint
}
