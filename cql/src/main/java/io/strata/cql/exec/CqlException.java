package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.error.AlreadyExists;
import com.datastax.oss.protocol.internal.response.error.Unprepared;

/**
 * A request failed in a way the client should see as a CQL error with a specific code. The message is
 * written for the user: it names what was wrong and, where possible, what to do.
 */
public class CqlException extends RuntimeException {
    private final int code;

    public CqlException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public Error toError() {
        return new Error(code, getMessage());
    }

    public static CqlException invalid(String message) {
        return new CqlException(ErrorCode.INVALID, message);
    }

    public static CqlException syntax(String message) {
        return new CqlException(ErrorCode.SYNTAX_ERROR, message);
    }

    public static CqlException config(String message) {
        return new CqlException(ErrorCode.CONFIG_ERROR, message);
    }

    public static CqlException unauthorized(String message) {
        return new CqlException(ErrorCode.UNAUTHORIZED, message);
    }

    public static CqlException protocol(String message) {
        return new CqlException(ErrorCode.PROTOCOL_ERROR, message);
    }

    /** Keyspace or table already exists (code 0x2400). */
    public static final class AlreadyExistsException extends CqlException {
        private final String keyspace;
        private final String table;

        public AlreadyExistsException(String keyspace, String table) {
            super(ErrorCode.ALREADY_EXISTS, table == null || table.isEmpty()
                    ? "Cannot add existing keyspace \"" + keyspace + "\""
                    : "Cannot add already existing table \"" + table + "\" to keyspace \"" + keyspace + "\"");
            this.keyspace = keyspace;
            this.table = table == null ? "" : table;
        }

        @Override
        public Error toError() {
            return new AlreadyExists(getMessage(), keyspace, table);
        }
    }

    /** The prepared statement id is unknown (evicted, or invalidated by a schema change): re-prepare. */
    public static final class UnpreparedException extends CqlException {
        private final byte[] id;

        public UnpreparedException(byte[] id) {
            super(ErrorCode.UNPREPARED, "Prepared query with ID " + java.util.HexFormat.of().formatHex(id)
                    + " not found (either the query was not prepared on this host (maybe the host has been restarted?)"
                    + " or you have prepared too many queries and it has been evicted from the internal cache)");
            this.id = id;
        }

        @Override
        public Error toError() {
            return new Unprepared(getMessage(), id);
        }
    }
}
