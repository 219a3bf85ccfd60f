/** Memtables: per-table sorted in-memory partitions, and Cassandra's reconciliation rules that merge a partition's versions. */
package io.strata.storage.engine.memtable;
