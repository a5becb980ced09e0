package dev.helmsdk.core.internal.report;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.util.List;

/** Quantities shown in the unit people wrote: {@code 1100m} of a {@code 2} cpu quota, {@code 48Mi} of a {@code 1Gi} one. */
final class Quantities {

    private static final List<String> BINARY = List.of("Ei", "Pi", "Ti", "Gi", "Mi", "Ki", "");
    private static final List<String> DECIMAL = List.of("E", "P", "T", "G", "M", "k", "", "m", "u", "n");

    private Quantities() {
    }

    /**
     * {@code q} in the largest unit, starting at {@code like}'s and going down its family (binary or decimal), in
     * which it is a whole number; exact ({@code q}'s own value) when none is.
     */
    static String show(Quantity q, Quantity like) {
        BigDecimal v = q.getNumericalAmount();
        String format = like.getFormat() == null ? "" : like.getFormat();
        List<String> ladder = BINARY.contains(format) && !format.isEmpty() ? BINARY : DECIMAL;
        int start = Math.max(0, ladder.indexOf(format));
        if (v.signum() == 0) {
            return "0";
        }
        for (String unit : ladder.subList(start, ladder.size())) {
            BigDecimal in = v.divide(new Quantity("1" + unit).getNumericalAmount());
            if (in.stripTrailingZeros().scale() <= 0) {
                return in.stripTrailingZeros().toPlainString() + unit;
            }
        }
        return v.stripTrailingZeros().toPlainString();
    }
}
