package io.strata.cql.request;

/** CQL consistency levels with their native-protocol values. */
public enum Consistency {
    ANY(0x0000),
    ONE(0x0001),
    TWO(0x0002),
    THREE(0x0003),
    QUORUM(0x0004),
    ALL(0x0005),
    LOCAL_QUORUM(0x0006),
    EACH_QUORUM(0x0007),
    SERIAL(0x0008),
    LOCAL_SERIAL(0x0009),
    LOCAL_ONE(0x000A);

    private final int code;

    Consistency(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    private static final Consistency[] LEVELS = values();

    /** The level for a wire value; an unknown value is a protocol error. */
    public static Consistency of(int code) {
        for (Consistency c : LEVELS) {
            if (c.code == code) {
                return c;
            }
        }
        throw CqlException.protocol("Unknown consistency level 0x" + Integer.toHexString(code));
    }
}
