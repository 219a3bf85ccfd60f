/** Reads: merging a table's memtables and segments into live rows, and linearizable conditional writes per partition. */
package io.strata.storage.engine.read;
