package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The key and operation generators of YCSB's core workload, ported from YCSB 0.17
 * ({@code site.ycsb.generator}): the Zipfian generator of Gray et al. ("Quickly generating billion-record
 * synthetic databases", SIGMOD 1994), its scrambled variant (popular items spread over the key space by an
 * FNV hash) and the skewed-latest one (the most recently inserted items are the most popular). Each generator
 * draws from a {@link SplittableRandom} it is given, so a seeded run is repeatable.
 *
 * <p>Not thread-safe: every client thread has its own generators.
 */
final class YcsbGenerators {
    /** YCSB's default Zipfian constant (skew). */
    static final double ZIPFIAN_CONSTANT = 0.99;

    private static final long FNV_OFFSET_BASIS_64 = 0xCBF29CE484222325L;
    private static final long FNV_PRIME_64 = 1099511628211L;

    private YcsbGenerators() {}

    /** How keys of reads and updates are chosen. */
    enum Distribution {
        UNIFORM,
        ZIPFIAN,
        LATEST;

        static Distribution parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--distribution must be uniform, zipfian or latest: '" + text + "'");
            }
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Chooses a key number in {@code [0, count)} where {@code count} is the number of records inserted so far. */
    interface KeyChooser {
        long next(long count);
    }

    static KeyChooser keyChooser(Distribution distribution, long records, SplittableRandom random) {
        return switch (distribution) {
            case UNIFORM -> count -> random.nextLong(count);
            case ZIPFIAN -> new ScrambledZipfian(records, random);
            case LATEST -> new SkewedLatest(random);
        };
    }

    /** YCSB's 64-bit FNV-1a hash of a long's 8 bytes (low byte first), made non-negative. */
    static long fnvhash64(long value) {
        long hash = FNV_OFFSET_BASIS_64;
        long rest = value;
        for (int i = 0; i < 8; i++) {
            long octet = rest & 0xff;
            rest = rest >> 8;
            hash = hash ^ octet;
            hash = hash * FNV_PRIME_64;
        }
        return hash & Long.MAX_VALUE;
    }

    /** YCSB's key name of a record number (hashed, not ordered, inserts): "user" and the hash. */
    static String keyName(long keyNumber) {
        return "user" + fnvhash64(keyNumber);
    }

    static double zeta(long n, double theta) {
        return zeta(0, n, theta, 0);
    }

    /** Sum of {@code 1/i^theta} for i in {@code (from, n]}, added to {@code initialSum} (incremental zeta). */
    static double zeta(long from, long n, double theta, double initialSum) {
        double sum = initialSum;
        for (long i = from; i < n; i++) {
            sum += 1 / Math.pow(i + 1, theta);
        }
        return sum;
    }

    /**
     * Zipfian over {@code [0, items)}: item 0 is the most popular, then 1, and so on. The item count may grow
     * between calls ({@link #next(long)}); zeta is then extended incrementally, as YCSB does.
     */
    static final class Zipfian {
        private final SplittableRandom random;
        private final double theta;
        private final double zeta2theta;
        private final double alpha;
        private long countForZeta;
        private double zetan;
        private double eta;

        Zipfian(long items, double theta, SplittableRandom random) {
            this(items, theta, zeta(items, theta), random);
        }

        /** @param zetan zeta of {@code items}, precomputed (the scrambled generator's huge item count) */
        Zipfian(long items, double theta, double zetan, SplittableRandom random) {
            if (items < 1) {
                throw new IllegalArgumentException("items must be positive: " + items);
            }
            this.random = requireNonNull(random, "random is null");
            this.theta = theta;
            this.zeta2theta = zeta(2, theta);
            this.alpha = 1.0 / (1.0 - theta);
            this.countForZeta = items;
            this.zetan = zetan;
            this.eta = eta(items);
        }

        private double eta(long items) {
            return (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
        }

        long next() {
            return next(countForZeta);
        }

        /** @return an item in {@code [0, items)} */
        long next(long items) {
            if (items != countForZeta) {
                if (items < 1) {
                    throw new IllegalArgumentException("items must be positive: " + items);
                }
                zetan = items > countForZeta ? zeta(countForZeta, items, theta, zetan) : zeta(items, theta);
                countForZeta = items;
                eta = eta(items);
            }
            double u = random.nextDouble();
            double uz = u * zetan;
            if (uz < 1.0) {
                return 0;
            }
            if (uz < 1.0 + Math.pow(0.5, theta)) {
                return Math.min(1, items - 1);
            }
            long item = (long) (items * Math.pow(eta * u - eta + 1, alpha));
            return Math.min(item, items - 1);
        }
    }

    /**
     * YCSB's scrambled Zipfian: a Zipfian over ten billion items (zeta precomputed for the constant 0.99),
     * hashed onto {@code [0, records)}, so the popular keys are spread over the key space. Reads of records
     * inserted during the run (beyond {@code records}) are drawn, as in YCSB, from twice the key space and
     * redrawn while beyond what has been inserted.
     */
    static final class ScrambledZipfian implements KeyChooser {
        static final long ITEM_COUNT = 10_000_000_000L;
        static final double ZETAN = 26.46902820178302;

        private final Zipfian zipfian;
        private final long records;

        ScrambledZipfian(long records, SplittableRandom random) {
            if (records < 1) {
                throw new IllegalArgumentException("records must be positive: " + records);
            }
            this.records = records;
            this.zipfian = new Zipfian(ITEM_COUNT, ZIPFIAN_CONSTANT, ZETAN, random);
        }

        @Override
        public long next(long count) {
            long space = count <= records ? count : 2 * count;
            while (true) {
                long key = fnvhash64(zipfian.next()) % space;
                if (key < count) {
                    return key;
                }
            }
        }
    }

    /** YCSB's skewed-latest: Zipfian over the records inserted so far, counted back from the newest. */
    static final class SkewedLatest implements KeyChooser {
        private final Zipfian zipfian;

        SkewedLatest(SplittableRandom random) {
            this.zipfian = new Zipfian(1, ZIPFIAN_CONSTANT, random);
        }

        @Override
        public long next(long count) {
            return count - 1 - zipfian.next(count);
        }
    }

    /** Chooses an operation by its proportion (YCSB's discrete generator). */
    static final class OperationChooser {
        private final SplittableRandom random;
        private final double read;
        private final double update;

        /** Proportions need not sum to 1: they are normalised. */
        OperationChooser(double read, double update, double insert, SplittableRandom random) {
            double sum = read + update + insert;
            if (!(read >= 0 && update >= 0 && insert >= 0 && sum > 0)) {
                throw new IllegalArgumentException("proportions must be non-negative with a positive sum");
            }
            this.random = requireNonNull(random, "random is null");
            this.read = read / sum;
            this.update = update / sum;
        }

        LoadRunner.Kind next() {
            double u = random.nextDouble();
            if (u < read) {
                return LoadRunner.Kind.READ;
            }
            if (u < read + update) {
                return LoadRunner.Kind.UPDATE;
            }
            return LoadRunner.Kind.INSERT;
        }
    }
}
