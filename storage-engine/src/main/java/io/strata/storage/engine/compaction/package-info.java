/** Size-tiered compaction on one shared thread, tombstone purge on major compactions, and write amplification. */
package io.strata.storage.engine.compaction;
