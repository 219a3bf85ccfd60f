package io.strata.cql.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TestLiteralsAndDurations {
    @Test
    void timestampsAcceptCassandraFormats() {
        assertThat(Literals.parseTimestamp("2011-02-03 04:05:00+0000")).isEqualTo(1296705900000L);
        assertThat(Literals.parseTimestamp("2011-02-03T04:05:00.123Z")).isEqualTo(1296705900123L);
        assertThat(Literals.parseTimestamp("2011-02-03")).isEqualTo(1296691200000L);
        assertThat(Literals.parseTimestamp("2011-02-03 04:05+01:00")).isEqualTo(1296702300000L);
        assertThatThrownBy(() -> Literals.parseTimestamp("yesterday")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void datesAreUnsignedDaysFromTwoToThe31() {
        byte[] v = Literals.parse(NativeType.DATE, Literals.Kind.STRING, "1970-01-02");
        assertThat(ByteBuffer.wrap(v).getInt() & 0xffffffffL).isEqualTo((1L << 31) + 1);
        assertThat(Values.toCqlLiteral(NativeType.DATE, v)).isEqualTo("'" + LocalDate.of(1970, 1, 2) + "'");
    }

    @Test
    void integersAreRangeChecked() {
        assertThat(Literals.parse(NativeType.TINYINT, Literals.Kind.INTEGER, "-128")).containsExactly((byte) -128);
        assertThatThrownBy(() -> Literals.parse(NativeType.TINYINT, Literals.Kind.INTEGER, "128"))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> Literals.parse(NativeType.INT, Literals.Kind.STRING, "12"))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("int");
    }

    @Test
    void durationsRoundTripInEveryFormat() {
        assertThat(Durations.format(Durations.parse("1y2mo3w4d5h6m7s8ms9us10ns"))).isEqualTo("1y2mo25d5h6m7s8ms9us10ns");
        assertThat(Durations.format(Durations.parse("P1Y2M3DT4H5M6S"))).isEqualTo("1y2mo3d4h5m6s");
        assertThat(Durations.format(Durations.parse("P2W"))).isEqualTo("14d");
        assertThat(Durations.format(Durations.parse("P0001-02-03T04:05:06"))).isEqualTo("1y2mo3d4h5m6s");
        assertThat(Durations.format(Durations.parse("-3h"))).isEqualTo("-3h");
        Durations.Duration big = Durations.deserialize(Durations.parse("100000000000ns"));
        assertThat(big.nanos()).isEqualTo(100_000_000_000L);
        assertThatThrownBy(() -> Durations.parse("3 hours")).isInstanceOf(InvalidValueException.class);
    }
}
