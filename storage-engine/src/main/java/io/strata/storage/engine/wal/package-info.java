/** The commit log: numbered logs of checksummed chunks over a LogStore, group commit on one thread, retired-log markers. */
package io.strata.storage.engine.wal;
