package io.strata.storage.engine.segment;

/**
 * Positional reads of one immutable segment blob. {@link #read} may come from any copy (a local cached
 * file, one zone); {@link #readRepaired} is called after a checksum failure and reads a verified copy,
 * repairing the bad one where the store can. Both return exactly {@code length} bytes or throw.
 * Thread-safe.
 */
interface SegmentSource extends AutoCloseable {
    long size();

    byte[] read(long offset, int length);

    byte[] readRepaired(long offset, int length);

    @Override
    void close();
}
