package io.strata.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class TestRedactor {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("INSERT INTO t (k, v) VALUES (1, 'secret')",
                        "INSERT INTO t (k, v) VALUES (?, ?)"),
                Arguments.of("UPDATE t SET p = 'pw' WHERE k = 0x01",
                        "UPDATE t SET p = ? WHERE k = ?"),
                Arguments.of("UPDATE t SET p = 'it''s a secret' WHERE k = -12.5e-3",
                        "UPDATE t SET p = ? WHERE k = ?"),
                Arguments.of("INSERT INTO t (k, v) VALUES ($$ dollar 'quoted' $$, true)",
                        "INSERT INTO t (k, v) VALUES (?, ?)"),
                Arguments.of("SELECT * FROM t WHERE id = 123e4567-e89b-12d3-a456-426614174000",
                        "SELECT * FROM t WHERE id = ?"),
                Arguments.of("SELECT * FROM t WHERE id = a23e4567-e89b-12d3-a456-426614174000 AND f = FALSE",
                        "SELECT * FROM t WHERE id = ? AND f = ?"),
                Arguments.of("UPDATE t SET m = {'a': 1, 'b': '}'}, l = [1, 2], s = {'x'} WHERE k = ?",
                        "UPDATE t SET m = ?, l = ?, s = ? WHERE k = ?"),
                Arguments.of("UPDATE t SET m['key'] = 'v', l[0] = 3 WHERE k = :k",
                        "UPDATE t SET m[?] = ?, l[?] = ? WHERE k = :k"),
                Arguments.of("SELECT v1, \"Quoted''Col\" FROM ks2.t3 WHERE k IN (1, 2) LIMIT 10",
                        "SELECT v1, \"Quoted''Col\" FROM ks2.t3 WHERE k IN (?, ?) LIMIT ?"),
                Arguments.of("INSERT INTO t (k, d) VALUES (1, 1h30m) USING TTL 86400",
                        "INSERT INTO t (k, d) VALUES (?, ?) USING TTL ?"),
                Arguments.of("SELECT * FROM t WHERE k = 1 -- 'secret' comment",
                        "SELECT * FROM t WHERE k = ?  "),
                Arguments.of("SELECT * FROM t /* pw */ WHERE k = 'unterminated",
                        "SELECT * FROM t   WHERE k = ?"),
                Arguments.of("INSERT INTO t (k, v) VALUES (1, (2, 'x'))",
                        "INSERT INTO t (k, v) VALUES (?, (?, ?))"),
                Arguments.of("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}",
                        "CREATE KEYSPACE ks WITH replication = ?"),
                Arguments.of("SELECT a - 1 FROM t",
                        "SELECT a - ? FROM t"),
                Arguments.of("SELECT * FROM t WHERE k = -1",
                        "SELECT * FROM t WHERE k = ?"),
                Arguments.of("SELECT * FROM t WHERE k = NaN OR k = -Infinity",
                        "SELECT * FROM t WHERE k = ? OR k = ?"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void literalsBecomeMarkers(String cql, String expected) {
        assertThat(Redactor.redact(cql)).isEqualTo(expected);
    }
}
