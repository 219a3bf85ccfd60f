package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.ProtocolConstants.ConsistencyLevel;

/**
 * Which consistency levels a request may ask for, and what Strata does with them (docs/design/0006).
 *
 * <p>Writes are always made durable on a quorum of zones (2 of 3) before they are acknowledged, whatever
 * level the client sends: ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM and ANY are accepted and served at that
 * strength (never weaker than asked). ALL, EACH_QUORUM, TWO and THREE ask for acknowledgements Strata does
 * not wait for and are refused. Reads accept ONE, LOCAL_ONE and LOCAL_QUORUM (Keyspaces' set), QUORUM (one
 * region, so it is LOCAL_QUORUM; drivers and applications often send it), and SERIAL/LOCAL_SERIAL (reads
 * are linearizable: one writer owns a table's memtable); ALL, EACH_QUORUM, TWO, THREE and ANY are refused.
 * The serial consistency of a conditional statement must be SERIAL or LOCAL_SERIAL. Stateless.
 */
final class ConsistencyPolicy {
    private ConsistencyPolicy() {}

    static void checkRead(int level) {
        switch (level) {
            case ConsistencyLevel.ONE, ConsistencyLevel.LOCAL_ONE, ConsistencyLevel.LOCAL_QUORUM, ConsistencyLevel.QUORUM,
                    ConsistencyLevel.SERIAL, ConsistencyLevel.LOCAL_SERIAL -> {
                // served: reads see every acknowledged write
            }
            case ConsistencyLevel.ANY -> throw CqlException.invalid(
                    "ANY ConsistencyLevel is only supported for writes");
            default -> throw CqlException.invalid("Consistency level " + name(level) + " is not supported for reads; "
                    + "use ONE, LOCAL_ONE, LOCAL_QUORUM or QUORUM");
        }
    }

    static void checkWrite(int level) {
        switch (level) {
            case ConsistencyLevel.ONE, ConsistencyLevel.LOCAL_ONE, ConsistencyLevel.LOCAL_QUORUM, ConsistencyLevel.QUORUM,
                    ConsistencyLevel.ANY -> {
                // served at quorum: 2 of 3 zones before the acknowledgement
            }
            case ConsistencyLevel.SERIAL, ConsistencyLevel.LOCAL_SERIAL -> throw CqlException.invalid(
                    "You must use conditional updates for serializable writes");
            default -> throw CqlException.invalid("Consistency level " + name(level) + " is not supported for writes; "
                    + "every write is acknowledged by a quorum (2 of 3 zones): use LOCAL_QUORUM (or ONE, LOCAL_ONE, QUORUM)");
        }
    }

    static void checkSerial(int level) {
        if (level != ConsistencyLevel.SERIAL && level != ConsistencyLevel.LOCAL_SERIAL) {
            throw CqlException.invalid("Invalid serial consistency level " + name(level)
                    + ": conditional statements accept SERIAL or LOCAL_SERIAL");
        }
    }

    static String name(int level) {
        return switch (level) {
            case ConsistencyLevel.ANY -> "ANY";
            case ConsistencyLevel.ONE -> "ONE";
            case ConsistencyLevel.TWO -> "TWO";
            case ConsistencyLevel.THREE -> "THREE";
            case ConsistencyLevel.QUORUM -> "QUORUM";
            case ConsistencyLevel.ALL -> "ALL";
            case ConsistencyLevel.LOCAL_QUORUM -> "LOCAL_QUORUM";
            case ConsistencyLevel.EACH_QUORUM -> "EACH_QUORUM";
            case ConsistencyLevel.SERIAL -> "SERIAL";
            case ConsistencyLevel.LOCAL_SERIAL -> "LOCAL_SERIAL";
            case ConsistencyLevel.LOCAL_ONE -> "LOCAL_ONE";
            default -> "0x" + Integer.toHexString(level);
        };
    }
}
