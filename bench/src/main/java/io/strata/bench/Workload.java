package io.strata.bench;

import java.util.Locale;

/** What the load tool sends: prepared INSERTs, prepared point SELECTs, or a random mix of both. */
enum Workload {
    WRITE,
    READ,
    MIXED;

    static Workload parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown workload '" + text + "': use write, read or mixed");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
