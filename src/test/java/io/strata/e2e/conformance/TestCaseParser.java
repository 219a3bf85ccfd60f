package io.strata.e2e.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The case-file format, without a gateway; and every file of the corpus parses. */
class TestCaseParser {

    @Test
    void parsesFixtureCasesAndExpectations() {
        CaseFile f = CaseParser.parse("demo", """
                -- a header comment
                CREATE TABLE kv (k int PRIMARY KEY, v text);

                -- case: insert then select
                -- setup: CREATE TABLE t (k int PRIMARY KEY, v text)
                INSERT INTO t (k, v)
                  VALUES (1, 'a|b');
                SELECT k, v FROM t WHERE k = 1;
                -- expect rows:
                -- k | v
                -- 1 | 'a|b'

                -- case: unknown table
                -- pending: not yet
                SELECT * FROM nope;
                -- expect error: INVALID "does not exist"

                -- case: prepared
                -- page size: 2
                -- bind: 1, {'x': [1, 2]}, unset
                SELECT * FROM kv WHERE k = ? AND m = ? AND z = ?;
                -- expect rows unordered:
                -- k
                """);
        assertThat(f.keyspace()).isEqualTo("conformance_demo");
        assertThat(f.fixture()).extracting(ConformanceCase.Step::cql)
                .containsExactly("CREATE TABLE kv (k int PRIMARY KEY, v text)");
        assertThat(f.cases()).hasSize(3);

        ConformanceCase first = f.cases().get(0);
        assertThat(first.line()).isEqualTo(4);
        assertThat(first.steps()).extracting(ConformanceCase.Step::cql).containsExactly(
                "CREATE TABLE t (k int PRIMARY KEY, v text)", "INSERT INTO t (k, v)\n  VALUES (1, 'a|b')",
                "SELECT k, v FROM t WHERE k = 1");
        assertThat(first.expectation()).isEqualTo(new Expectation.Rows(List.of("k", "v"),
                List.of(List.of("1", "'a|b'")), true));
        assertThat(first.pending()).isEmpty();

        ConformanceCase second = f.cases().get(1);
        assertThat(second.pending()).contains("not yet");
        assertThat(second.expectation()).isEqualTo(new Expectation.Error("INVALID", "does not exist"));

        ConformanceCase third = f.cases().get(2);
        assertThat(third.pageSize()).hasValue(2);
        assertThat(third.last().binds()).contains(List.of("1", "{'x': [1, 2]}", "unset"));
        assertThat(third.expectation()).isEqualTo(new Expectation.Rows(List.of("k"), List.of(), false));
    }

    @Test
    void keyspacesMarkerNeedsAReason() {
        CaseFile f = CaseParser.parse("k", """
                -- case: Keyspaces' region strategy
                -- keyspaces: Cassandra has no SingleRegionStrategy (CONFIG_ERROR)
                CREATE KEYSPACE r WITH replication = {'class': 'SingleRegionStrategy'};
                -- expect ok

                -- case: plain
                SELECT 1 FROM t;
                -- expect ok
                """);
        assertThat(f.cases().get(0).keyspaces()).contains("Cassandra has no SingleRegionStrategy (CONFIG_ERROR)");
        assertThat(f.cases().get(1).keyspaces()).isEmpty();
        assertThatThrownBy(() -> CaseParser.parse("k", "-- case: a\n-- keyspaces:\nSELECT 1;\n-- expect ok\n"))
                .hasMessageContaining("keyspaces needs a reason");
        assertThatThrownBy(() -> CaseParser.parse("k", "-- keyspaces: x\n-- case: a\nSELECT 1;\n-- expect ok\n"))
                .hasMessageContaining("outside a case");
    }

    @Test
    void batchRunsToApplyBatch() {
        CaseFile f = CaseParser.parse("b", """
                -- case: batch
                BEGIN BATCH
                  INSERT INTO t (k) VALUES (1);
                  INSERT INTO t (k) VALUES (2);
                APPLY BATCH;
                -- expect ok
                """);
        assertThat(f.cases().get(0).steps()).singleElement().satisfies(s -> {
            assertThat(s.cql()).startsWith("BEGIN BATCH").endsWith("APPLY BATCH");
            assertThat(s.binds()).isEqualTo(Optional.empty());
        });
    }

    @Test
    void splitsOnlyAtTopLevel() {
        assertThat(CaseParser.splitTopLevel("1, 'it''s, here', {1: 'a,b'}, (1, 2), [3]", ','))
                .containsExactly("1", "'it''s, here'", "{1: 'a,b'}", "(1, 2)", "[3]");
        assertThatThrownBy(() -> CaseParser.splitTopLevel("'open", ','))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedFilesFailWithTheirLine() {
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n"))
                .hasMessageContaining("x.cql:1").hasMessageContaining("no expectation");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n-- expect rows:\n\n"))
                .hasMessageContaining("header");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n-- expect rows:\n-- a | b\n-- 1\n"))
                .hasMessageContaining("x.cql:5");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n-- expect eror: INVALID\n"))
                .hasMessageContaining("unknown expectation");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n-- expect ok\nSELECT 2;\n"))
                .hasMessageContaining("after the expectation");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1\n-- expect ok\n"))
                .hasMessageContaining("directive inside a statement");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n-- expect ok\n-- case: a\nSELECT 1;\n-- expect ok\n"))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> CaseParser.parse("x", "-- case: a\nSELECT 1;\n-- setup: SELECT 2\n-- expect ok\n"))
                .hasMessageContaining("setups come first");
    }

    @Test
    void sleepStepsAndColumnTypes() {
        CaseFile f = CaseParser.parse("s", """
                -- case: expiry
                INSERT INTO t (k) VALUES (1) USING TTL 1;
                -- sleep: 1100
                SELECT k, m FROM t;
                -- expect rows:
                -- k | m
                -- types: int | map<text, int>
                """);
        ConformanceCase c = f.cases().get(0);
        assertThat(c.steps()).hasSize(3);
        assertThat(c.steps().get(1).isPause()).isTrue();
        assertThat(c.steps().get(1).sleepMillis()).isEqualTo(1100);
        assertThat(c.expectation()).isEqualTo(new Expectation.Rows(List.of("k", "m"), List.of("int", "map<text, int>"),
                List.of(), true));
        assertThatThrownBy(() -> CaseParser.parse("s", "-- case: a\nSELECT 1;\n-- expect ok\n-- types: int\n"))
                .hasMessageContaining("must follow an expect rows");
        assertThatThrownBy(() -> CaseParser.parse("s", "-- case: a\nSELECT 1;\n-- expect rows:\n-- a | b\n-- types: int\n"))
                .hasMessageContaining("1 types for 2 columns");
        assertThatThrownBy(() -> CaseParser.parse("s", "-- case: a\n-- sleep: 60000\nSELECT 1;\n-- expect ok\n"))
                .hasMessageContaining("1..5000");
    }

    @Test
    void markersNeedAPreparedStatement() {
        CaseFile f = CaseParser.parse("m", """
                -- case: limit marker
                -- markers: k int | [limit] int
                -- bind: 1, 2
                SELECT * FROM t WHERE k = ? LIMIT ?;
                -- expect ok
                """);
        assertThat(f.cases().get(0).last().markers()).contains(List.of("k int", "[limit] int"));
        assertThatThrownBy(() -> CaseParser.parse("m", "-- case: a\n-- markers: k int\nSELECT 1;\n-- expect ok\n"))
                .hasMessageContaining("needs a prepared statement");
    }

    @Test
    void matchersAndTypeNames() {
        assertThat(CqlValues.like("CREATE TABLE ks.t ( k int, PRIMARY KEY (k) )%", "CREATE TABLE ks.t (\n    k int,\n"
                + "    PRIMARY KEY (k)\n) WITH comment = 'x';")).isTrue();
        assertThat(CqlValues.like("a%c", "abbc")).isTrue();
        assertThat(CqlValues.like("a%c", "abbd")).isFalse();
        assertThat(CqlValues.like("a.c", "abc")).isFalse(); // no regex leaks through
        assertThat(CqlValues.sameType("map<text, int>", com.datastax.oss.driver.api.core.type.DataTypes.mapOf(
                com.datastax.oss.driver.api.core.type.DataTypes.TEXT, com.datastax.oss.driver.api.core.type.DataTypes.INT)))
                .isTrue();
        assertThat(CqlValues.sameType("bigint", com.datastax.oss.driver.api.core.type.DataTypes.INT)).isFalse();
        assertThat(CqlValues.normalizeType("map<int, frozen<list<frozen<set<int>>>>>")).isEqualTo("map<int,list<set<int>>>");
        assertThat(CqlValues.normalizeType("frozen<tuple<int, varchar>>")).isEqualTo("tuple<int,text>");
    }

    @Test
    void everyCorpusFileParses() throws Exception {
        List<CaseFile> corpus = TestConformance.loadCorpus(TestConformance.casesDir());
        assertThat(corpus).isNotEmpty();
        assertThat(corpus.stream().mapToInt(f -> f.cases().size()).sum()).isGreaterThanOrEqualTo(300);
    }
}
