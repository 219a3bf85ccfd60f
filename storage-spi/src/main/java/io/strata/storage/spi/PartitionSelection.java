package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/** Which partitions a read covers: one key, or a range of tokens in token order. */
public sealed interface PartitionSelection {
    /** Exactly one partition. */
    record Single(PartitionKey key) implements PartitionSelection {
        public Single {
            requireNonNull(key, "key is null");
        }
    }

    /**
     * All partitions whose token lies between the two tokens (each end inclusive or not), in
     * (token, key) order. {@link #ALL} covers the whole ring.
     */
    record TokenRange(long start, boolean startInclusive, long end, boolean endInclusive) implements PartitionSelection {
        public static final TokenRange ALL = new TokenRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true);

        public boolean contains(long token) {
            boolean afterStart = startInclusive ? token >= start : token > start;
            boolean beforeEnd = endInclusive ? token <= end : token < end;
            return afterStart && beforeEnd;
        }
    }
}
