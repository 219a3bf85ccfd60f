package io.strata.cql.exec;

import io.strata.cql.request.CqlException;
import io.strata.cql.request.PageRequest;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.ReadQuery;
import java.nio.ByteBuffer;

/**
 * Where a page stopped: the partition key and last clustering (or an offset into a system table), how many
 * rows (or groups, with GROUP BY) of the statement's LIMIT remain, and with GROUP BY how many groups the stop
 * partition already returned (PER PARTITION LIMIT).
 *
 * <p>These bytes are the <em>body</em> of what drivers hold: the session seals them (HMAC-SHA256 under the
 * server's key, bound to tenant and statement) before they leave the server and checks the seal before they
 * come back, so a state reaching {@link #deserialize} was written by this server for this statement. The
 * parser still trusts nothing: the whole state is bounded by {@link #MAX_BYTES} (within {@link PageRequest#MAX_STATE_BYTES}), every length is checked
 * against the bytes present and a hard maximum before anything is allocated, and any malformed state is
 * refused as Cassandra refuses one (PROTOCOL_ERROR "Invalid value for the paging state"). Immutable.
 */
record PagingState(ReadQuery.Position position, int remaining, int virtualOffset, int partitionGroups) {
    /**
     * The largest partition key a state holds: Cassandra's limit on a partition key (65535 bytes); a state
     * must be able to resume after any key Cassandra accepts.
     */
    static final int MAX_KEY_BYTES = 65_535;
    /** The largest clustering a state holds (encoded): as large as the key, for the same reason. */
    static final int MAX_CLUSTERING_BYTES = 65_535;
    private static final byte FORMAT = 3;
    private static final int KIND_POSITION = 0;
    private static final int KIND_VIRTUAL = 1;
    private static final int NO_CLUSTERING = 0;
    private static final int STATIC_CLUSTERING = 1;
    private static final int ROW_CLUSTERING = 2;
    private static final int HEADER = 1 + 1 + 4 + 4 + 4;
    /** The largest state: header, token, both lengths and the largest key and clustering. */
    static final int MAX_BYTES = HEADER + 8 + 4 + MAX_KEY_BYTES + 1 + 4 + MAX_CLUSTERING_BYTES;

    static {
        // the session bounds states by PageRequest's constant before it checks their seal
        assert MAX_BYTES <= PageRequest.MAX_STATE_BYTES;
    }

    PagingState {
        if (remaining < 0 || partitionGroups < 0 || (position == null && virtualOffset < 0)) {
            throw new IllegalArgumentException("negative count in a paging state");
        }
    }

    static PagingState atPosition(ReadQuery.Position position, int remaining) {
        return new PagingState(position, remaining, -1, 0);
    }

    static PagingState atGroup(ReadQuery.Position position, int remaining, int partitionGroups) {
        return new PagingState(position, remaining, -1, partitionGroups);
    }

    static PagingState atOffset(int offset, int remaining) {
        return new PagingState(null, remaining, offset, 0);
    }

    /**
     * @throws CqlException INVALID when the key or clustering to resume after is larger than a state holds
     *     (only possible for keys larger than Cassandra accepts)
     */
    byte[] serialize() {
        int size = HEADER;
        if (position != null) {
            byte[] key = position.key().key();
            if (key.length > MAX_KEY_BYTES) {
                throw CqlException.invalid("Cannot page past a partition key of " + key.length
                        + " bytes: paging states hold keys of at most " + MAX_KEY_BYTES + " bytes");
            }
            size += 8 + 4 + key.length + 1;
            if (position.clustering() != null && !position.clustering().isStatic()) {
                int ck = position.clustering().encoded().length;
                if (ck > MAX_CLUSTERING_BYTES) {
                    throw CqlException.invalid("Cannot page past a clustering of " + ck
                            + " bytes: paging states hold clusterings of at most " + MAX_CLUSTERING_BYTES + " bytes");
                }
                size += 4 + ck;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(size);
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
        return b.array();
    }

    /**
     * @throws CqlException PROTOCOL_ERROR for anything but a state {@link #serialize} wrote
     */
    static PagingState deserialize(byte[] all) {
        try {
            if (all.length < HEADER || all.length > MAX_BYTES) {
                throw new IllegalArgumentException();
            }
            ByteBuffer in = ByteBuffer.wrap(all);
            if (in.get() != FORMAT) {
                throw new IllegalArgumentException();
            }
            int kind = in.get();
            int remaining = in.getInt();
            int offset = in.getInt();
            int groups = in.getInt();
            if (kind == KIND_VIRTUAL) {
                end(in);
                return atOffset(offset, remaining);
            }
            if (kind != KIND_POSITION) {
                throw new IllegalArgumentException();
            }
            long token = in.getLong();
            byte[] key = bytes(in, MAX_KEY_BYTES);
            int ck = in.get();
            Clustering c = switch (ck) {
                case NO_CLUSTERING -> null;
                case STATIC_CLUSTERING -> Clustering.STATIC;
                case ROW_CLUSTERING -> Clustering.of(bytes(in, MAX_CLUSTERING_BYTES));
                default -> throw new IllegalArgumentException();
            };
            end(in);
            return new PagingState(new ReadQuery.Position(new PartitionKey(token, key), c), remaining, -1, groups);
        } catch (RuntimeException e) {
            throw CqlException.protocol("Invalid value for the paging state");
        }
    }

    /**
     * A length-prefixed byte string; the length is checked against the bytes left and {@code max} before the
     * array is allocated, so a forged length can never size an allocation.
     */
    private static byte[] bytes(ByteBuffer in, int max) {
        int n = in.getInt();
        if (n < 0 || n > max || n > in.remaining()) {
            throw new IllegalArgumentException();
        }
        byte[] out = new byte[n];
        in.get(out);
        return out;
    }

    private static void end(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException();
        }
    }
}
