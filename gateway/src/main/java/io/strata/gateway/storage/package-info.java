/**
 * The storage assembly: the one place where a backend's stores (selected by {@code strata.storage.type}
 * among {@link io.strata.gateway.storage.StorageBackend} beans) are composed with replication, the LSM
 * engine and zone repair, and where all of it is closed again.
 */
package io.strata.gateway.storage;
