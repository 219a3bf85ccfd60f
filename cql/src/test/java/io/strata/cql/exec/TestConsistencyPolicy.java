package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.request.Consistency;
import io.strata.cql.request.CqlException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestConsistencyPolicy {
    @ParameterizedTest
    @EnumSource(value = Consistency.class, names = {"ONE", "LOCAL_ONE", "LOCAL_QUORUM", "QUORUM", "SERIAL", "LOCAL_SERIAL"})
    void readsAcceptTheLevelsTheyCanHonour(Consistency level) {
        assertThatCode(() -> ConsistencyPolicy.checkRead(level)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = Consistency.class, names = {"ALL", "EACH_QUORUM", "TWO", "THREE", "ANY"})
    void readsRefuseTheOthersWithAnInvalidRequest(Consistency level) {
        assertThatThrownBy(() -> ConsistencyPolicy.checkRead(level)).isInstanceOf(CqlException.class)
                .hasMessageContaining(level == Consistency.ANY ? "only supported for writes" : ConsistencyPolicy.name(level));
    }

    @ParameterizedTest
    @EnumSource(value = Consistency.class, names = {"ONE", "LOCAL_ONE", "LOCAL_QUORUM", "QUORUM", "ANY"})
    void writesAcceptLevelsAQuorumSatisfies(Consistency level) {
        assertThatCode(() -> ConsistencyPolicy.checkWrite(level)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(value = Consistency.class, names = {"ALL", "EACH_QUORUM", "TWO", "THREE", "SERIAL", "LOCAL_SERIAL"})
    void writesRefuseLevelsAQuorumDoesNotSatisfy(Consistency level) {
        assertThatThrownBy(() -> ConsistencyPolicy.checkWrite(level)).isInstanceOf(CqlException.class);
    }

    @ParameterizedTest
    @EnumSource(value = Consistency.class, names = {"ONE", "QUORUM", "ALL"})
    void serialConsistencyMustBeSerial(Consistency level) {
        assertThatThrownBy(() -> ConsistencyPolicy.checkSerial(level)).isInstanceOf(CqlException.class)
                .hasMessageContaining("SERIAL");
    }
}
