package io.strata.cql.expr;

/**
 * The bound values of one execution, positional, already matched to the statement's variables. A value
 * is a byte array, null (CQL null), or {@link #UNSET} (protocol v4+ "unset": leave the column alone).
 * The session builds it from the wire; nothing below the session knows how values travelled. Immutable
 * once built (the arrays are not copied: callers hand over ownership).
 */
public final class Bindings {
    /** The unset marker; compared by identity. */
    public static final byte[] UNSET = new byte[0];
    public static final Bindings NONE = new Bindings(new byte[0][]);

    private final byte[][] values;

    private Bindings(byte[][] values) {
        this.values = values;
    }

    /** Takes ownership of {@code values} (elements may be null or {@link #UNSET}). */
    public static Bindings of(byte[][] values) {
        return new Bindings(values);
    }

    public int size() {
        return values.length;
    }

    public byte[] get(int index) {
        return values[index];
    }

    public static boolean isUnset(byte[] v) {
        return v == UNSET;
    }
}
