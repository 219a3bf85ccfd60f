package io.strata.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations of {@code --ttl} and {@code --max-lifetime}: {@code <n>s|m|h|d} or ISO-8601 ({@code P30D}). */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

    private Durations() {}

    /** @throws IllegalArgumentException naming {@code option} if {@code text} is neither form */
    static Duration parse(String text, String option) {
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid " + option + " '" + text
                    + "': use e.g. 3600s, 90m, 12h, 30d or P30D");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid " + option + " '" + text + "': too long");
        }
    }
}
