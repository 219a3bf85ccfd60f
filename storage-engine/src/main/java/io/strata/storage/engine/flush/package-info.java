/** Memtables to segments: write stalls, log rolls that freeze memtables, flushes and the gate that keeps them exclusive. */
package io.strata.storage.engine.flush;
