package io.strata.cql.session;

import io.strata.cql.testing.CqlFixture;
import static io.strata.cql.testing.CqlFixture.row;
import static io.strata.cql.testing.CqlFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import io.strata.storage.spi.Murmur3;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IN, DISTINCT, ALLOW FILTERING, multi-column relations, aggregates and GROUP BY. */
class TestCqlQueries {
    static final DataType INT = NativeType.INT;
    static final DataType BIGINT = NativeType.BIGINT;
    static final DataType TEXT = NativeType.TEXT;

    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    @BeforeEach
    void setUp() {
        db.ok("CREATE TABLE t (k int, c1 int, c2 int, v int, s int STATIC, PRIMARY KEY (k, c1, c2))");
        for (int k = 0; k < 4; k++) {
            db.ok("UPDATE t SET s = " + (k * 10) + " WHERE k = " + k);
            for (int c1 = 0; c1 < 3; c1++) {
                for (int c2 = 0; c2 < 2; c2++) {
                    db.ok("INSERT INTO t (k, c1, c2, v) VALUES (" + k + ", " + c1 + ", " + c2 + ", " + (k * 100 + c1 * 10 + c2) + ")");
                }
            }
        }
    }


    private List<List<String>> ints(String cql, int columns) {
        DataType[] types = new DataType[columns];
        java.util.Arrays.fill(types, INT);
        return rows(db.run(cql), types);
    }

    @Test
    void inOnPartitionKeyComesBackInTokenOrder() {
        List<Integer> byToken = new ArrayList<>(List.of(3, 1, 2));
        byToken.sort(Comparator.comparingLong(k -> Murmur3.token(Values.ofInt(k))));
        List<List<String>> r = ints("SELECT k, v FROM t WHERE k IN (3, 1, 2, 1) AND c1 = 0 AND c2 = 0", 2);
        assertThat(r).containsExactlyElementsOf(byToken.stream().map(k -> row("" + k, "" + k * 100)).toList());
        // IN ? binds a list.
        var p = db.prepare("SELECT v FROM t WHERE k IN ? AND c1 = 2 AND c2 = 1");
        byte[] list = io.strata.cql.types.CollectionCodec.list(List.of(Values.ofInt(2)));
        assertThat(rows(db.execute(p, List.of(ByteBuffer.wrap(list))), INT)).containsExactly(row("221"));
    }

    @Test
    void inOnClusteringColumnsAndMultiColumnRelations() {
        assertThat(ints("SELECT c1, c2 FROM t WHERE k = 1 AND c1 IN (2, 0) AND c2 IN (1, 0)", 2))
                .containsExactly(row("0", "0"), row("0", "1"), row("2", "0"), row("2", "1"));
        assertThat(ints("SELECT c1, c2 FROM t WHERE k = 1 AND c1 IN (0, 2) AND c2 > 0", 2))
                .containsExactly(row("0", "1"), row("2", "1"));
        assertThat(ints("SELECT c1, c2 FROM t WHERE k = 1 AND (c1, c2) > (1, 0)", 2))
                .containsExactly(row("1", "1"), row("2", "0"), row("2", "1"));
        assertThat(ints("SELECT c1, c2 FROM t WHERE k = 1 AND (c1, c2) >= (1, 1) AND (c1, c2) < (2, 1)", 2))
                .containsExactly(row("1", "1"), row("2", "0"));
        assertThat(ints("SELECT c1, c2 FROM t WHERE k = 1 AND (c1, c2) IN ((2, 1), (0, 1))", 2))
                .containsExactly(row("0", "1"), row("2", "1"));
        assertThat(ints("SELECT c1, c2 FROM t WHERE k = 1 AND (c1, c2) = (1, 0)", 2)).containsExactly(row("1", "0"));
    }

    @Test
    void inIsCappedAtOneHundredSubqueries() {
        String values = String.join(", ", IntStream.range(0, 101).mapToObj(Integer::toString).toList());
        assertThat(db.invalid("SELECT v FROM t WHERE k IN (" + values + ")")).contains("at most 100");
    }

    @Test
    void distinctReturnsOnePartitionPerRowAcrossPages() {
        List<List<String>> all = ints("SELECT DISTINCT k, s FROM t", 2);
        assertThat(all).hasSize(4);
        assertThat(all).allSatisfy(r -> assertThat(Integer.parseInt(r.get(1))).isEqualTo(Integer.parseInt(r.get(0)) * 10));
        List<List<String>> paged = new ArrayList<>();
        ByteBuffer state = null;
        do {
            QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.ONE, List.of(), Map.of(), false, 1, state,
                    ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null, QueryOptions.NO_NOW_IN_SECONDS);
            DefaultRows page = (DefaultRows) db.send(new Query("SELECT DISTINCT k FROM t", o));
            paged.addAll(rows(page, INT));
            state = page.getMetadata().pagingState;
        } while (state != null);
        assertThat(paged).containsExactlyElementsOf(all.stream().map(r -> row(r.get(0))).toList());
        assertThat(db.invalid("SELECT DISTINCT v FROM t")).contains("must only request partition key columns and/or static columns");
        assertThat(db.invalid("SELECT DISTINCT s FROM t")).contains("must request all the partition key columns");
    }

    @Test
    void allowFilteringFiltersRegularStaticAndClusteringColumns() {
        assertThat(db.invalid("SELECT v FROM t WHERE v = 1")).contains("ALLOW FILTERING");
        assertThat(ints("SELECT v FROM t WHERE k = 2 AND v > 210 ALLOW FILTERING", 1))
                .containsExactly(row("211"), row("220"), row("221"));
        assertThat(ints("SELECT k, v FROM t WHERE v IN (1, 311) ALLOW FILTERING", 2)).containsExactlyInAnyOrder(row("0", "1"), row("3", "311"));
        assertThat(ints("SELECT v FROM t WHERE c2 = 1 AND s = 30 ALLOW FILTERING", 1))
                .containsExactly(row("301"), row("311"), row("321"));
        assertThat(ints("SELECT v FROM t WHERE c1 = 1 AND c2 = 0 ALLOW FILTERING", 1))
                .containsExactlyInAnyOrder(row("10"), row("110"), row("210"), row("310"));
        db.ok("CREATE TABLE coll (k int PRIMARY KEY, tags set<text>, m map<text, int>)");
        db.ok("INSERT INTO coll (k, tags, m) VALUES (1, {'a', 'b'}, {'x': 1})");
        db.ok("INSERT INTO coll (k, tags, m) VALUES (2, {'c'}, {'y': 1})");
        assertThat(ints("SELECT k FROM coll WHERE tags CONTAINS 'b' ALLOW FILTERING", 1)).containsExactly(row("1"));
        assertThat(ints("SELECT k FROM coll WHERE m CONTAINS KEY 'y' ALLOW FILTERING", 1)).containsExactly(row("2"));
    }

    @Test
    void aggregatesAndGroupBy() {
        var m = db.run("SELECT count(*), count(v), min(v), max(v), sum(v), avg(v) FROM t WHERE k = 1");
        assertThat(CqlFixture.columnNames(m)).containsExactly("count", "system.count(v)", "system.min(v)", "system.max(v)",
                "system.sum(v)", "system.avg(v)");
        assertThat(rows(m, BIGINT, BIGINT, INT, INT, INT, INT)).containsExactly(row("6", "6", "100", "121", "663", "110"));
        assertThat(rows(db.run("SELECT count(*), max(v) FROM t WHERE k = 9"), BIGINT, INT)).containsExactly(row("0", null));
        assertThat(rows(db.run("SELECT k, count(*) FROM t GROUP BY k"), INT, BIGINT)).hasSize(4)
                .allSatisfy(r -> assertThat(r.get(1)).isEqualTo("6"));
        assertThat(rows(db.run("SELECT c1, sum(v) FROM t WHERE k = 0 GROUP BY k, c1"), INT, INT))
                .containsExactly(row("0", "1"), row("1", "21"), row("2", "41"));
        assertThat(rows(db.run("SELECT count(*) FROM t"), BIGINT)).containsExactly(row("24"));
        assertThat(db.invalid("SELECT count(*) FROM t GROUP BY v")).contains("only supported on the columns of the PRIMARY KEY");
    }
}
