package io.strata.tenancy.capacity;

import static java.util.Objects.requireNonNull;

/** Whether a request may run now, or why it is throttled. */
public sealed interface Admission permits Admission.Allowed, Admission.Throttled {
    Allowed ALLOWED = new Allowed();

    /** It may run. */
    record Allowed() implements Admission {}

    /** What ran out. */
    enum Scope {
        /** The table's provisioned rate and burst, or its on-demand ceiling. */
        TABLE,
        /** One partition's ceiling (Keyspaces' StoragePartitionThroughputCapacityExceeded). */
        PARTITION,
        /** The tenant's account quota. */
        ACCOUNT
    }

    /**
     * Throttled: {@code scope} has consumed more than {@code unitsPerSecond} of {@code op} units; the request must
     * not touch storage.
     *
     * @param message what a user can act on: the table, the limit, what to do
     */
    record Throttled(TableRef table, Operation op, Scope scope, long unitsPerSecond, String message)
            implements Admission {
        public Throttled {
            requireNonNull(table, "table is null");
            requireNonNull(op, "op is null");
            requireNonNull(scope, "scope is null");
            requireNonNull(message, "message is null");
        }
    }
}
