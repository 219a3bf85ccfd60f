package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.protocol.internal.ProtocolConstants.ConsistencyLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestConsistencyPolicy {
    @ParameterizedTest
    @ValueSource(ints = {ConsistencyLevel.ONE, ConsistencyLevel.LOCAL_ONE, ConsistencyLevel.LOCAL_QUORUM,
            ConsistencyLevel.QUORUM, ConsistencyLevel.SERIAL, ConsistencyLevel.LOCAL_SERIAL})
    void readsAcceptTheLevelsTheyCanHonour(int level) {
        assertThatCode(() -> ConsistencyPolicy.checkRead(level)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {ConsistencyLevel.ALL, ConsistencyLevel.EACH_QUORUM, ConsistencyLevel.TWO, ConsistencyLevel.THREE,
            ConsistencyLevel.ANY})
    void readsRefuseTheOthersWithAnInvalidRequest(int level) {
        assertThatThrownBy(() -> ConsistencyPolicy.checkRead(level)).isInstanceOf(CqlException.class)
                .hasMessageContaining(level == ConsistencyLevel.ANY ? "only supported for writes" : ConsistencyPolicy.name(level));
    }

    @ParameterizedTest
    @ValueSource(ints = {ConsistencyLevel.ONE, ConsistencyLevel.LOCAL_ONE, ConsistencyLevel.LOCAL_QUORUM,
            ConsistencyLevel.QUORUM, ConsistencyLevel.ANY})
    void writesAcceptLevelsAQuorumSatisfies(int level) {
        assertThatCode(() -> ConsistencyPolicy.checkWrite(level)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {ConsistencyLevel.ALL, ConsistencyLevel.EACH_QUORUM, ConsistencyLevel.TWO, ConsistencyLevel.THREE,
            ConsistencyLevel.SERIAL, ConsistencyLevel.LOCAL_SERIAL})
    void writesRefuseLevelsAQuorumDoesNotSatisfy(int level) {
        assertThatThrownBy(() -> ConsistencyPolicy.checkWrite(level)).isInstanceOf(CqlException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {ConsistencyLevel.ONE, ConsistencyLevel.QUORUM, ConsistencyLevel.ALL})
    void serialConsistencyMustBeSerial(int level) {
        assertThatThrownBy(() -> ConsistencyPolicy.checkSerial(level)).isInstanceOf(CqlException.class)
                .hasMessageContaining("SERIAL");
    }
}
