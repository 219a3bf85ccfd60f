package io.strata.tenancy.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Keyspaces' target tracking: scale out on demand, scale in only on a sustained lull, within bounds and cooldowns. */
final class TestTargetTracking {
    private final Instant now = Instant.parse("2026-12-07T04:00:00Z");
    private final TargetTracking half = new TargetTracking(5, 1000, 50, Duration.ofMinutes(5), Duration.ofMinutes(1),
            false);

    @Test
    void scalesOutToKeepConsumptionAtTheTarget() {
        // 40 units a second at a 50 % target: 80 units
        assertThat(half.decide(10, 40, 40, now, Instant.MIN, Instant.MIN)).isEqualTo(80);
        // throttled at its capacity (100 % utilised): doubles, period after period, until demand is met
        assertThat(half.decide(10, 10, 10, now, Instant.MIN, Instant.MIN)).isEqualTo(20);
        assertThat(half.decide(10, 5_000, 5_000, now, Instant.MIN, Instant.MIN)).isEqualTo(1000);
    }

    @Test
    void cooldownsDelayTheNextChange() {
        assertThat(half.decide(10, 40, 40, now, now.minusSeconds(30), Instant.MIN)).isEqualTo(10);
        assertThat(half.decide(10, 40, 40, now, now.minusSeconds(60), Instant.MIN)).isEqualTo(80);
        assertThat(half.decide(80, 1, 1, now, Instant.MIN, now.minusSeconds(299))).isEqualTo(80);
        assertThat(half.decide(80, 1, 1, now, Instant.MIN, now.minusSeconds(300))).isEqualTo(5);
    }

    @Test
    void scalesInOnlyWhenTheWholeWindowFitsAndNeverBelowTheMinimum() {
        // quiet now, but a peak of 30 a second within the window: keeps 60
        assertThat(half.decide(80, 1, 30, now, Instant.MIN, Instant.MIN)).isEqualTo(60);
        assertThat(half.decide(80, 0, 0, now, Instant.MIN, Instant.MIN)).isEqualTo(5);
        TargetTracking noScaleIn = new TargetTracking(5, 1000, 50, Duration.ZERO, Duration.ZERO, true);
        assertThat(noScaleIn.decide(80, 0, 0, now, Instant.MIN, Instant.MIN)).isEqualTo(80);
        // a table provisioned outside the bounds is brought inside at once
        assertThat(half.decide(2, 0, 0, now, Instant.MIN, now)).isEqualTo(5);
        assertThat(half.decide(5000, 0, 0, now, now, now)).isEqualTo(1000);
    }
}
