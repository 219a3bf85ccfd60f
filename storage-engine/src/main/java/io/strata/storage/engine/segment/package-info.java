/** Immutable segments: the file format (LZ4 blocks with CRC32C, bloom filter, index), the block cache, the local disk cache, and publishing and opening segments in the data store. */
package io.strata.storage.engine.segment;
