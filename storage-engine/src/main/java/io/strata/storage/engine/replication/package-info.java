/**
 * Replication across zones (failure domains), as decorators of the backend SPI: a commit log acknowledged at
 * a quorum of zones ({@link io.strata.storage.engine.replication.QuorumLogStore}), a blob store written to
 * every zone and committed at a quorum with per-copy checksums and read repair
 * ({@link io.strata.storage.engine.replication.ReplicatedBlobStore}), and background rebuilding of lagging
 * zones ({@link io.strata.storage.engine.replication.ZoneRepair}). Composed by the gateway's storage assembly,
 * never by a backend.
 */
package io.strata.storage.engine.replication;
