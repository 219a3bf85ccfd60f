package io.strata.cql.request;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A request failed in a way the client should see as a CQL error with a specific code. The message is
 * written for the user: it names what was wrong and, where possible, what to do. Subclasses carry the
 * extra fields some error codes have on the wire. Immutable; no stack trace (these are answers, not bugs).
 */
public class CqlException extends RuntimeException {
    private final ErrorCode code;

    public CqlException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
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

    /** Keyspace or table already exists (code 0x2400); {@code table} is empty for a keyspace. */
    public static final class AlreadyExists extends CqlException {
        private final String keyspace;
        private final String table;

        public AlreadyExists(String keyspace, String table) {
            super(ErrorCode.ALREADY_EXISTS, table == null || table.isEmpty()
                    ? "Cannot add existing keyspace \"" + keyspace + "\""
                    : "Cannot add already existing table \"" + table + "\" to keyspace \"" + keyspace + "\"");
            this.keyspace = keyspace;
            this.table = table == null ? "" : table;
        }

        /** For user types, which Cassandra reports with its own message. */
        public AlreadyExists(String keyspace, String name, String message) {
            super(ErrorCode.ALREADY_EXISTS, message);
            this.keyspace = keyspace;
            this.table = name;
        }

        public String keyspace() {
            return keyspace;
        }

        public String table() {
            return table;
        }
    }

    /** The prepared statement id is unknown (evicted, or invalidated by a schema change): re-prepare. */
    public static final class Unprepared extends CqlException {
        private final byte[] id;

        public Unprepared(byte[] id) {
            super(ErrorCode.UNPREPARED, "Prepared query with ID " + java.util.HexFormat.of().formatHex(id)
                    + " not found (either the query was not prepared on this host (maybe the host has been restarted?)"
                    + " or you have prepared too many queries and it has been evicted from the internal cache)");
            this.id = id.clone();
        }

        public byte[] id() {
            return id.clone();
        }
    }

    /** A native function failed on its arguments (code 0x1400), e.g. fromJson on malformed JSON. */
    public static final class FunctionFailure extends CqlException {
        private final String keyspace;
        private final String function;
        private final List<String> argTypes;

        public FunctionFailure(String keyspace, String function, List<String> argTypes, String message) {
            super(ErrorCode.FUNCTION_FAILURE, message);
            this.keyspace = requireNonNull(keyspace, "keyspace is null");
            this.function = requireNonNull(function, "function is null");
            this.argTypes = List.copyOf(argTypes);
        }

        public String keyspace() {
            return keyspace;
        }

        public String function() {
            return function;
        }

        public List<String> argTypes() {
            return argTypes;
        }
    }

    /**
     * A write that did not complete in time, as Cassandra reports it ({@code WRITE_TIMEOUT}); Keyspaces also answers
     * a write throttled for capacity this way, so that its retry policies and drivers' retry logic apply.
     */
    public static final class WriteTimeout extends CqlException {
        private final Consistency consistency;
        private final int received;
        private final int blockFor;
        private final String writeType;

        public WriteTimeout(String message, Consistency consistency, int received, int blockFor, String writeType) {
            super(ErrorCode.WRITE_TIMEOUT, message);
            this.consistency = java.util.Objects.requireNonNull(consistency, "consistency is null");
            this.received = received;
            this.blockFor = blockFor;
            this.writeType = java.util.Objects.requireNonNull(writeType, "writeType is null");
        }

        public Consistency consistency() {
            return consistency;
        }

        public int received() {
            return received;
        }

        public int blockFor() {
            return blockFor;
        }

        /** SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG, CAS, VIEW or CDC. */
        public String writeType() {
            return writeType;
        }
    }

    /** A read that did not complete in time ({@code READ_TIMEOUT}); also Keyspaces' answer to a throttled read. */
    public static final class ReadTimeout extends CqlException {
        private final Consistency consistency;
        private final int received;
        private final int blockFor;
        private final boolean dataPresent;

        public ReadTimeout(String message, Consistency consistency, int received, int blockFor, boolean dataPresent) {
            super(ErrorCode.READ_TIMEOUT, message);
            this.consistency = java.util.Objects.requireNonNull(consistency, "consistency is null");
            this.received = received;
            this.blockFor = blockFor;
            this.dataPresent = dataPresent;
        }

        public Consistency consistency() {
            return consistency;
        }

        public int received() {
            return received;
        }

        public int blockFor() {
            return blockFor;
        }

        public boolean dataPresent() {
            return dataPresent;
        }
    }
}
