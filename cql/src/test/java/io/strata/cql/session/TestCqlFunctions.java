package io.strata.cql.session;

import io.strata.cql.testing.CqlFixture;
import static io.strata.cql.testing.CqlFixture.row;
import static io.strata.cql.testing.CqlFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Error;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.storage.spi.Murmur3;
import io.strata.cql.types.Values;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Selectors (writetime, ttl, token, functions, casts), counters and batch rules. */
class TestCqlFunctions {
    static final DataType INT = NativeType.INT;
    static final DataType BIGINT = NativeType.BIGINT;
    static final DataType TEXT = NativeType.TEXT;

    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    @BeforeEach
    void setUp() {
        db.ok("CREATE TABLE t (k int, c int, v text, ts timestamp, PRIMARY KEY (k, c))");
    }


    @Test
    void writetimeTtlAndToken() {
        db.ok("INSERT INTO t (k, c, v) VALUES (1, 1, 'a') USING TIMESTAMP 1234 AND TTL 1000");
        db.ok("INSERT INTO t (k, c, v) VALUES (1, 2, 'b') USING TIMESTAMP 99");
        var m = db.run("SELECT writetime(v), ttl(v), token(k), c FROM t WHERE k = 1");
        assertThat(CqlFixture.columnNames(m)).containsExactly("writetime(v)", "ttl(v)", "system.token(k)", "c");
        List<List<String>> r = rows(m, BIGINT, INT, BIGINT, INT);
        long token = Murmur3.token(Values.ofInt(1));
        assertThat(r.get(0).get(0)).isEqualTo("1234");
        assertThat(Integer.parseInt(r.get(0).get(1))).isBetween(990, 1000);
        assertThat(r.get(0).get(2)).isEqualTo(Long.toString(token));
        assertThat(r.get(1)).containsExactly("99", null, Long.toString(token), "2");
        assertThat(db.invalid("SELECT writetime(c) FROM t")).contains("PRIMARY KEY part c");
    }

    @Test
    void scalarFunctionsInTermsAndSelections() {
        db.ok("INSERT INTO t (k, c, v, ts) VALUES (1, 1, 'a', toTimestamp(now()))");
        db.ok("INSERT INTO t (k, c, ts) VALUES (1, 2, '2020-01-02 03:04:05+0000')");
        db.ok("INSERT INTO t (k, c, v) VALUES (1, 3, blobAsText(textAsBlob('hi')))");
        var m = db.run("SELECT toUnixTimestamp(ts), toDate(ts), CAST(c AS text), cast(c as double), v FROM t WHERE k = 1 AND c >= 2");
        assertThat(CqlFixture.columnNames(m)).containsExactly("system.tounixtimestamp(ts)", "system.todate(ts)",
                "cast(c as text)", "cast(c as double)", "v");
        assertThat(rows(m, BIGINT, NativeType.DATE, TEXT, NativeType.DOUBLE, TEXT)).containsExactly(
                row("1577934245000", "'2020-01-02'", "'2'", "2.0", null),
                row(null, null, "'3'", "3.0", "'hi'"));
        List<List<String>> now = rows(db.run("SELECT ts FROM t WHERE k = 1 AND c = 1"), NativeType.TIMESTAMP);
        assertThat(now.get(0).get(0)).isNotNull();
        db.ok("CREATE TABLE tu (k int, u timeuuid, PRIMARY KEY (k, u))");
        db.ok("INSERT INTO tu (k, u) VALUES (1, now())");
        assertThat(rows(db.run("SELECT k FROM tu WHERE k = 1 AND u > maxTimeuuid('2020-01-01') AND u < minTimeuuid('2999-01-01')"),
                INT)).containsExactly(row("1"));
        assertThat(rows(db.run("SELECT k FROM tu WHERE k = 1 AND u < minTimeuuid('2020-01-01')"), INT)).isEmpty();
        assertThat(db.invalid("INSERT INTO t (k, c, v) VALUES (1, 4, now())")).contains("Type error");
        assertThat(db.invalid("SELECT nosuchfn(v) FROM t")).contains("Unknown function");
    }

    @Test
    void countersIncrementAndOnlyAllowUpdate() {
        db.ok("CREATE TABLE cnt (k int PRIMARY KEY, hits counter, misses counter)");
        db.ok("UPDATE cnt SET hits = hits + 5, misses = misses - 1 WHERE k = 1");
        db.ok("UPDATE cnt SET hits = hits + 2 WHERE k = 1");
        db.ok("UPDATE cnt SET hits = hits - 10 WHERE k = 1");
        assertThat(rows(db.run("SELECT hits, misses FROM cnt WHERE k = 1"), NativeType.COUNTER, NativeType.COUNTER))
                .containsExactly(row("-3", "-1"));
        assertThat(db.invalid("INSERT INTO cnt (k, hits) VALUES (2, 1)"))
                .isEqualTo("INSERT statements are not allowed on counter tables, use UPDATE instead");
        assertThat(db.invalid("UPDATE cnt SET hits = 1 WHERE k = 1")).contains("Cannot set the value of counter column hits");
        assertThat(db.invalid("UPDATE cnt USING TTL 10 SET hits = hits + 1 WHERE k = 1"))
                .isEqualTo("Cannot provide custom TTL for counter updates");
        assertThat(db.invalid("UPDATE t SET v = v + 1 WHERE k = 1 AND c = 1")).contains("for non counter column v");
        assertThat(db.invalid("BEGIN BATCH UPDATE cnt SET hits = hits + 1 WHERE k = 1; APPLY BATCH"))
                .isEqualTo("Cannot include a counter statement in a logged batch");
        db.ok("BEGIN COUNTER BATCH UPDATE cnt SET hits = hits + 1 WHERE k = 1; UPDATE cnt SET hits = hits + 1 WHERE k = 1; APPLY BATCH");
        assertThat(rows(db.run("SELECT hits FROM cnt WHERE k = 1"), NativeType.COUNTER)).containsExactly(row("-1"));
    }

    @Test
    void batchSizeLimits() {
        List<Object> inserts = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            inserts.add("INSERT INTO t (k, c) VALUES (1, " + i + ")");
        }
        var m = db.batch(ProtocolConstants.BatchType.UNLOGGED, inserts);
        assertThat(m).isInstanceOf(Error.class);
        assertThat(((Error) m).message).contains("at most 30 statements");
        assertThat(db.batch(ProtocolConstants.BatchType.LOGGED, inserts)).isNotInstanceOf(Error.class);
        for (int i = 31; i < 101; i++) {
            inserts.add("INSERT INTO t (k, c) VALUES (1, " + i + ")");
        }
        assertThat(((Error) db.batch(ProtocolConstants.BatchType.LOGGED, inserts)).message).contains("at most 100 statements");
    }

    @Test
    void alterTableAddDropWith() {
        db.ok("INSERT INTO t (k, c, v) VALUES (1, 1, 'a')");
        db.ok("ALTER TABLE t ADD extra list<int>");
        db.ok("UPDATE t SET extra = extra + [1] WHERE k = 1 AND c = 1");
        db.ok("ALTER TABLE t DROP v");
        assertThat(CqlFixture.columnNames(db.run("SELECT * FROM t WHERE k = 1"))).containsExactly("k", "c", "extra", "ts");
        assertThat(db.invalid("SELECT v FROM t WHERE k = 1")).contains("Undefined column name v");
        assertThat(db.invalid("ALTER TABLE t DROP k")).isEqualTo("Cannot drop PRIMARY KEY column k");
        assertThat(db.invalid("ALTER TABLE t ADD c int")).isEqualTo("Column with name 'c' already exists");
        db.ok("ALTER TABLE t WITH default_time_to_live = 100");
        db.ok("INSERT INTO t (k, c, ts) VALUES (2, 2, 0)");
        assertThat(Integer.parseInt(rows(db.run("SELECT ttl(ts) FROM t WHERE k = 2"), INT).get(0).get(0))).isBetween(90, 100);
    }
}
