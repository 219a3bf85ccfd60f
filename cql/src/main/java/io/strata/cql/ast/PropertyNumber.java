package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/**
 * A numeric property value ({@code WITH gc_grace_seconds = 864000}), kept as the literal text so the
 * consumer chooses int, long or double; a leading '-' is part of {@code text}.
 */
public record PropertyNumber(String text) {
    public PropertyNumber {
        requireNonNull(text, "text is null");
    }

    /** @throws NumberFormatException if the text is not an integer (e.g. {@code 0.5}, {@code NaN}) */
    public long longValue() {
        return Long.parseLong(text);
    }

    /** Also accepts {@code NaN} and {@code [-]Infinity}. */
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
