package io.strata.cql.exec;

import io.strata.cql.request.CqlException;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.ReadQuery;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The opaque paging state handed to drivers: where the previous page stopped (partition key and last
 * clustering, or an offset into a system table), how many rows (or groups, with GROUP BY) of the
 * statement's LIMIT remain, and with GROUP BY how many groups the stop partition already returned (PER
 * PARTITION LIMIT). Carries a checksum so a corrupted or foreign state is refused with a clear error
 * instead of being misread; every length is checked against the bytes actually present.
 */
record PagingState(ReadQuery.Position position, int remaining, int virtualOffset, int partitionGroups) {
    private static final byte FORMAT = 2;
    private static final int KIND_POSITION = 0;
    private static final int KIND_VIRTUAL = 1;
    private static final int NO_CLUSTERING = 0;
    private static final int STATIC_CLUSTERING = 1;
    private static final int ROW_CLUSTERING = 2;
    private static final int HEADER = 1 + 1 + 4 + 4 + 4;

    static PagingState atPosition(ReadQuery.Position position, int remaining) {
        return new PagingState(position, remaining, -1, 0);
    }

    static PagingState atGroup(ReadQuery.Position position, int remaining, int partitionGroups) {
        return new PagingState(position, remaining, -1, partitionGroups);
    }

    static PagingState atOffset(int offset, int remaining) {
        return new PagingState(null, remaining, offset, 0);
    }

    byte[] serialize() {
        int size = HEADER;
        if (position != null) {
            size += 8 + 4 + position.key().key().length + 1;
            if (position.clustering() != null && !position.clustering().isStatic()) {
                size += 4 + position.clustering().encoded().length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size + 4);
        b.put(FORMAT).put((byte) (position == null ? KIND_VIRTUAL : KIND_POSITION)).putInt(remaining).putInt(virtualOffset)
                .putInt(partitionGroups);
        if (position != null) {
            b.putLong(position.key().token()).putInt(position.key().key().length).put(position.key().key());
            Clustering c = position.clustering();
            if (c == null) {
                b.put((byte) NO_CLUSTERING);
            } else if (c.isStatic()) {
                b.put((byte) STATIC_CLUSTERING);
            } else {
                b.put((byte) ROW_CLUSTERING).putInt(c.encoded().length).put(c.encoded());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, size);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static PagingState deserialize(byte[] all) {
        try {
            if (all.length < HEADER + 4) {
                throw new IllegalArgumentException();
            }
            CRC32C crc = new CRC32C();
            crc.update(all, 0, all.length - 4);
            ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 4);
            if (ByteBuffer.wrap(all).getInt(all.length - 4) != (int) crc.getValue() || in.get() != FORMAT) {
                throw new IllegalArgumentException();
            }
            int kind = in.get();
            int remaining = in.getInt();
            int offset = in.getInt();
            int groups = in.getInt();
            if (kind == KIND_VIRTUAL) {
                return atOffset(offset, remaining);
            }
            long token = in.getLong();
            byte[] key = new byte[length(in)];
            in.get(key);
            int ck = in.get();
            Clustering c = switch (ck) {
                case NO_CLUSTERING -> null;
                case STATIC_CLUSTERING -> Clustering.STATIC;
                case ROW_CLUSTERING -> {
                    byte[] enc = new byte[length(in)];
                    in.get(enc);
                    yield Clustering.of(enc);
                }
                default -> throw new IllegalArgumentException();
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException();
            }
            return new PagingState(new ReadQuery.Position(new PartitionKey(token, key), c), remaining, -1, groups);
        } catch (RuntimeException e) {
            throw CqlException.protocol("Invalid value for the paging state");
        }
    }

    /** A length read from the state, which must fit in what is left of it. */
    private static int length(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException();
        }
        return n;
    }
}
