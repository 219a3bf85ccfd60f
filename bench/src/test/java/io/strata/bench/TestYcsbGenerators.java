package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

final class TestYcsbGenerators {
    @Test
    void zipfianStaysInRangeAndFavoursTheFirstItems() {
        YcsbGenerators.Zipfian zipfian = new YcsbGenerators.Zipfian(1000, 0.99, new SplittableRandom(1));
        long[] counts = new long[1000];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            long item = zipfian.next();
            assertThat(item).isBetween(0L, 999L);
            counts[(int) item]++;
        }
        // item 0 is drawn with probability 1/zeta(1000) (about 13%), far above the uniform 0.1%
        assertThat(counts[0] / (double) n).isCloseTo(1 / YcsbGenerators.zeta(1000, 0.99), within(0.01));
        assertThat(counts[0]).isGreaterThan(counts[1]).isGreaterThan(counts[100]);
    }

    @Test
    void zipfianFollowsAGrowingItemCount() {
        YcsbGenerators.Zipfian zipfian = new YcsbGenerators.Zipfian(10, 0.99, new SplittableRandom(2));
        for (long items = 10; items < 2000; items += 7) {
            assertThat(zipfian.next(items)).isBetween(0L, items - 1);
        }
        // shrinking recomputes zeta from scratch
        assertThat(zipfian.next(3)).isBetween(0L, 2L);
        assertThat(YcsbGenerators.zeta(10, 50, 0.99, YcsbGenerators.zeta(10, 0.99)))
                .isCloseTo(YcsbGenerators.zeta(50, 0.99), within(1e-12));
    }

    @Test
    void scrambledZipfianStaysInRangeAndIsSkewed() {
        YcsbGenerators.KeyChooser keys = YcsbGenerators.keyChooser(
                YcsbGenerators.Distribution.ZIPFIAN, 50_000, new SplittableRandom(3));
        Map<Long, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            long key = keys.next(50_000);
            assertThat(key).isBetween(0L, 49_999L);
            counts.merge(key, 1, Integer::sum);
        }
        // skewed: far fewer distinct keys than draws, and the hottest key far above the uniform mean of 2
        assertThat(counts.size()).isLessThan(40_000);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(1000);
        // records inserted during the run are reachable, and never beyond what was inserted
        for (int i = 0; i < 10_000; i++) {
            assertThat(keys.next(60_000)).isBetween(0L, 59_999L);
        }
    }

    @Test
    void latestFavoursTheNewestRecords() {
        YcsbGenerators.KeyChooser keys = YcsbGenerators.keyChooser(
                YcsbGenerators.Distribution.LATEST, 1000, new SplittableRandom(4));
        int newest = 0;
        for (int i = 0; i < 10_000; i++) {
            long key = keys.next(1000 + i);
            assertThat(key).isBetween(0L, 999L + i);
            if (key == 999 + i) {
                newest++;
            }
        }
        assertThat(newest).isGreaterThan(1000);
    }

    @Test
    void uniformStaysInRange() {
        YcsbGenerators.KeyChooser keys = YcsbGenerators.keyChooser(
                YcsbGenerators.Distribution.UNIFORM, 10, new SplittableRandom(5));
        long[] counts = new long[10];
        for (int i = 0; i < 100_000; i++) {
            counts[(int) keys.next(10)]++;
        }
        assertThat(LongStream.of(counts).min().orElseThrow()).isGreaterThan(9_000);
    }

    @Test
    void proportionsAreRespected() {
        YcsbGenerators.OperationChooser chooser =
                new YcsbGenerators.OperationChooser(0.1, 0.9, 0, new SplittableRandom(6));
        Map<LoadRunner.Kind, Integer> counts = new EnumMap<>(LoadRunner.Kind.class);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts.merge(chooser.next(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys(LoadRunner.Kind.READ, LoadRunner.Kind.UPDATE);
        assertThat(counts.get(LoadRunner.Kind.READ) / (double) n).isCloseTo(0.1, within(0.01));

        // unnormalised proportions are normalised
        YcsbGenerators.OperationChooser three = new YcsbGenerators.OperationChooser(2, 1, 1, new SplittableRandom(7));
        counts.clear();
        for (int i = 0; i < n; i++) {
            counts.merge(three.next(), 1, Integer::sum);
        }
        assertThat(counts.get(LoadRunner.Kind.READ) / (double) n).isCloseTo(0.5, within(0.01));
        assertThat(counts.get(LoadRunner.Kind.UPDATE) / (double) n).isCloseTo(0.25, within(0.01));
        assertThat(counts.get(LoadRunner.Kind.INSERT) / (double) n).isCloseTo(0.25, within(0.01));
    }

    @Test
    void seedsMakeRunsRepeatable() {
        YcsbOptions options = YcsbOptions.parse("ycsb", "--workload", "A", "--records", "1000");
        YcsbWorkload.Client a = new YcsbWorkload.Client(options, new AtomicLong(1000), new SplittableRandom(42));
        YcsbWorkload.Client b = new YcsbWorkload.Client(options, new AtomicLong(1000), new SplittableRandom(42));
        YcsbWorkload.Client c = new YcsbWorkload.Client(options, new AtomicLong(1000), new SplittableRandom(43));
        boolean differs = false;
        for (int i = 0; i < 1000; i++) {
            YcsbWorkload.Choice choice = a.next(i);
            assertThat(b.next(i)).isEqualTo(choice);
            assertThat(a.value()).isEqualTo(b.value()).hasSize(100);
            differs |= !c.next(i).equals(choice);
        }
        assertThat(differs).isTrue();
    }

    @Test
    void loadInsertsEveryRecordInOrderAndInsertsTakeNewRecords() {
        YcsbOptions load = YcsbOptions.parse("ycsb", "--workload", "load", "--records", "100");
        YcsbWorkload.Client loader = new YcsbWorkload.Client(load, new AtomicLong(0), new SplittableRandom(1));
        for (int i = 0; i < 100; i++) {
            assertThat(loader.next(i)).isEqualTo(new YcsbWorkload.Choice(LoadRunner.Kind.INSERT, i, -1));
        }
        YcsbOptions inserts = YcsbOptions.parse("ycsb", "--insert-proportion", "1", "--records", "100");
        AtomicLong records = new AtomicLong(100);
        YcsbWorkload.Client client = new YcsbWorkload.Client(inserts, records, new SplittableRandom(1));
        assertThat(client.next(0).keyNumber()).isEqualTo(100);
        assertThat(client.next(1).keyNumber()).isEqualTo(101);
        assertThat(records.get()).isEqualTo(102);
    }

    @Test
    void updatesWriteOneFieldWhenAsked() {
        YcsbOptions one = YcsbOptions.parse("ycsb", "--workload", "90-10", "--write-all-fields", "false", "--fields", "4");
        YcsbWorkload.Client client = new YcsbWorkload.Client(one, new AtomicLong(50_000), new SplittableRandom(1));
        boolean sawUpdate = false;
        for (int i = 0; i < 100; i++) {
            YcsbWorkload.Choice choice = client.next(i);
            if (choice.kind() == LoadRunner.Kind.UPDATE) {
                sawUpdate = true;
                assertThat(choice.field()).isBetween(0, 3);
            }
        }
        assertThat(sawUpdate).isTrue();
    }

    @Test
    void keyNamesAreYcsbs() {
        assertThat(YcsbGenerators.keyName(0)).startsWith("user").isEqualTo("user" + YcsbGenerators.fnvhash64(0));
        assertThat(YcsbGenerators.fnvhash64(0)).isNotNegative();
        assertThat(YcsbGenerators.fnvhash64(1)).isNotEqualTo(YcsbGenerators.fnvhash64(2));
    }
}
