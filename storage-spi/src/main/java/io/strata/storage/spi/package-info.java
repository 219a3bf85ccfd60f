/**
 * The storage SPI: the data model and operations that sit below CQL.
 *
 * <p>Everything here speaks in partitions, rows, cells, timestamps, TTLs and tombstones; nothing
 * here knows CQL syntax or CQL types. Clustering prefixes are byte-comparable encodings produced by
 * the CQL layer, so an engine orders rows with an unsigned byte comparison and never needs to know
 * a column's type. Partition keys carry their Murmur3 token and are ordered by (token, key bytes).
 *
 * <p>The engine-facing backend SPI (blobs and append logs) lives in {@code io.strata.storage.spi.blob}.
 */
package io.strata.storage.spi;
