package io.strata.storage.spi;

/**
 * Background repair of replicated storage, as operators see it: compares the zones (failure domains) and
 * rebuilds lagging ones. Storage that is not replicated by Strata still answers, with passes that copy
 * nothing. Thread-safe; passes never overlap.
 */
public interface StorageRepair {
    /** Runs one pass now (blocking the caller) and returns what it did. */
    RepairPass runOnce();

    /** Progress since start. */
    RepairStatus status();
}
