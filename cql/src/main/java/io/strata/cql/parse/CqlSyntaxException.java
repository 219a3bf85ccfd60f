package io.strata.cql.parse;

/**
 * A CQL statement that does not parse. The message reads like Cassandra's ("line 1:14 no viable
 * alternative at input 'FROM'", "line 1:7 mismatched input 'x' expecting K_FROM") so drivers and users see
 * familiar text; {@link #line()} and {@link #column()} (1-based line, 0-based column, as in Cassandra)
 * locate the offending token. Servers answer it with the protocol's SYNTAX_ERROR code.
 */
public final class CqlSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public CqlSyntaxException(int line, int column, String message) {
        super("line " + line + ":" + column + " " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
