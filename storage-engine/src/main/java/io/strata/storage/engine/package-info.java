/**
 * The LSM storage engine: the facade {@link io.strata.storage.engine.LsmEngine} (an
 * {@link io.strata.storage.spi.StorageEngine}), its tuning ({@link io.strata.storage.engine.EngineOptions}) and
 * what it runs on ({@link io.strata.storage.engine.EngineStorage}: backend SPI stores only). Everything else
 * lives in sub-packages named after the LSM's anatomy (as SlateDB's modules): {@code wal}, {@code memtable},
 * {@code segment}, {@code flush}, {@code manifest}, {@code recovery}, {@code compaction}, {@code gc},
 * {@code read}, {@code catalog}, {@code replication}, plus {@code layout} (every storage key),
 * {@code codec} (binary model encoding) and {@code runtime} (threads, process lock). Their public types are
 * public for the facade's sake, not an API: only this package and {@code replication} are meant to be used
 * from outside the module.
 */
package io.strata.storage.engine;
