package dev.helmsdk.examples.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code --timeout} as Helm writes it ({@code 300s}, {@code 5m}, {@code 1m30s}, {@code 1h}) or ISO-8601 ({@code PT5M}). */
final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h))+");

    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return positive(Duration.parse(t.toUpperCase(Locale.ROOT)), text);
            } catch (DateTimeParseException e) {
                throw bad(text);
            }
        }
        if (!WHOLE.matcher(t).matches()) {
            throw bad(text);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return positive(total, text);
    }

    private static Duration positive(Duration d, String text) {
        if (d.isNegative() || d.isZero()) {
            throw bad(text);
        }
        return d;
    }

    private static CommandLine.TypeConversionException bad(String text) {
        return new CommandLine.TypeConversionException("'" + text + "' is not a duration: write it like 300s, 5m, 1m30s or PT5M");
    }
}
