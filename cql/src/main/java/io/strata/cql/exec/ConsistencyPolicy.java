package io.strata.cql.exec;

import io.strata.cql.request.Consistency;
import io.strata.cql.request.CqlException;

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

    static void checkRead(Consistency level) {
        switch (level) {
            case ONE, LOCAL_ONE, LOCAL_QUORUM, QUORUM,
                    SERIAL, LOCAL_SERIAL -> {
                // served: reads see every acknowledged write
            }
            case ANY -> throw CqlException.invalid(
                    "ANY ConsistencyLevel is only supported for writes");
            default -> throw CqlException.invalid("Consistency level " + name(level) + " is not supported for reads; "
                    + "use ONE, LOCAL_ONE, LOCAL_QUORUM or QUORUM");
        }
    }

    static void checkWrite(Consistency level) {
        switch (level) {
            case ONE, LOCAL_ONE, LOCAL_QUORUM, QUORUM,
                    ANY -> {
                // served at quorum: 2 of 3 zones before the acknowledgement
            }
            case SERIAL, LOCAL_SERIAL -> throw CqlException.invalid(
                    "You must use conditional updates for serializable writes");
            default -> throw CqlException.invalid("Consistency level " + name(level) + " is not supported for writes; "
                    + "every write is acknowledged by a quorum (2 of 3 zones): use LOCAL_QUORUM (or ONE, LOCAL_ONE, QUORUM)");
        }
    }

    static void checkSerial(Consistency level) {
        if (level != Consistency.SERIAL && level != Consistency.LOCAL_SERIAL) {
            throw CqlException.invalid("Invalid serial consistency level " + name(level)
                    + ": conditional statements accept SERIAL or LOCAL_SERIAL");
        }
    }

    static String name(Consistency level) {
        return level.name();
    }
}
