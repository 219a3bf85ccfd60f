package io.strata.cql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class TestCqlParserErrors {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // unknown or misspelt keywords
            "SELEC * FROM t|line 1:0 no viable alternative at input 'SELEC'",
            "SELECT * FORM t|line 1:9 mismatched input 'FORM' expecting K_FROM",
            "INSERT t (a) VALUES (1)|line 1:7 mismatched input 't' expecting K_INTO",
            "CREATE TABEL t (k int PRIMARY KEY)|line 1:7 no viable alternative at input 'TABEL'",
            "DROP TABLES t|line 1:5 no viable alternative at input 'TABLES'",
            // missing pieces
            "SELECT * t|line 1:9 mismatched input 't' expecting K_FROM",
            "SELECT a, bc, FROM t|line 1:14 no viable alternative at input 'FROM'",
            "SELECT * FROM|line 1:13 no viable alternative at input '<EOF>'",
            "SELECT * FROM t WHERE|line 1:21 no viable alternative at input '<EOF>'",
            "SELECT * FROM t WHERE a|line 1:23 no viable alternative at input '<EOF>'",
            "INSERT INTO t (a) (1)|line 1:18 mismatched input '(' expecting K_VALUES",
            "INSERT INTO t (a) VALUES (1|line 1:27 mismatched input '<EOF>' expecting ')'",
            "UPDATE t SET a = 1|line 1:18 mismatched input '<EOF>' expecting K_WHERE",
            "DELETE FROM t|line 1:13 mismatched input '<EOF>' expecting K_WHERE",
            "BEGIN BATCH INSERT INTO t (a) VALUES (1)|line 1:40 no viable alternative at input '<EOF>'",
            "BEGIN BATCH INSERT INTO t (a) VALUES (1) APPLY|line 1:46 mismatched input '<EOF>' expecting K_BATCH",
            "CREATE KEYSPACE ks|line 1:18 mismatched input '<EOF>' expecting K_WITH",
            "CREATE TABLE t (k int PRIMARY KEY|line 1:33 mismatched input '<EOF>' expecting ')'",
            "CREATE TABLE t (k map<int> PRIMARY KEY)|line 1:25 mismatched input '>' expecting ','",
            "SELECT * FROM t WHERE a IS NULL|line 1:27 mismatched input 'NULL' expecting K_NOT",
            "SELECT * FROM t ALLOW|line 1:21 mismatched input '<EOF>' expecting K_FILTERING",
            "SELECT * FROM t LIMIT 'x'|line 1:22 no viable alternative at input ''x''",
            "SELECT * FROM t LIMIT 1.5|line 1:22 no viable alternative at input '1.5'",
            // trailing input and multiple statements
            "SELECT * FROM t x|line 1:16 mismatched input 'x' expecting EOF",
            "SELECT * FROM t; SELECT * FROM u|line 1:17 mismatched input 'SELECT' expecting EOF",
            "SELECT * FROM t;;|line 1:16 mismatched input ';' expecting EOF",
            // empty input
            "``|line 1:0 no viable alternative at input '<EOF>'",
            "-- just a comment|line 1:17 no viable alternative at input '<EOF>'",
            ";|line 1:0 no viable alternative at input ';'",
            // reserved keywords where a name is required
            "SELECT from FROM t|line 1:7 no viable alternative at input 'from'",
            "CREATE TABLE select (k int PRIMARY KEY)|line 1:13 no viable alternative at input 'select'",
            "CREATE TABLE t (table int PRIMARY KEY)|line 1:16 no viable alternative at input 'table'",
            "USE keyspace|line 1:4 no viable alternative at input 'keyspace'",
            "SELECT * FROM t WHERE \"\" = 1|line 1:22 empty quoted identifier is not allowed as a column name",
            // lexical errors surface with their position too
            "SELECT * FROM t WHERE a = 'abc|line 1:26 unterminated string literal",
            "SELECT * FROM t WHERE a = $$abc|line 1:26 unterminated string literal",
            "SELECT * FROM \"t|line 1:14 unterminated quoted identifier",
            "SELECT * FROM t WHERE a = 1 /* open|line 1:28 unterminated comment",
            "SELECT * FROM t WHERE a = 1 & b = 2|line 1:28 token recognition error at: '&'",
            // statements Cassandra has and Strata does not
            "GRANT SELECT ON ks.t TO r|line 1:0 no viable alternative at input 'GRANT'",
            "CREATE ROLE r|line 1:7 no viable alternative at input 'ROLE'",
            "CREATE MATERIALIZED VIEW v AS SELECT * FROM t|line 1:45 mismatched input '<EOF>' expecting K_PRIMARY",
            "CREATE MATERIALIZED VIEW v AS SELECT FROM t PRIMARY KEY (k)|line 1:37 no viable alternative at input 'FROM'",
            "CREATE OR REPLACE FUNCTION f() RETURNS NULL ON NULL INPUT|line 1:7 no viable alternative at input 'OR'",
            "LIST ROLES|line 1:0 no viable alternative at input 'LIST'",
    })
    void errorsNameThePositionAndTheOffendingToken(String cql, String messageStart) {
        assertThatThrownBy(() -> CqlParser.parse(cql == null ? "" : cql))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void messageCarriesAnExcerptLikeCassandras() {
        assertThatThrownBy(() -> CqlParser.parse("SELECT * FORM t"))
                .hasMessage("line 1:9 mismatched input 'FORM' expecting K_FROM (SELECT * [FORM]...)");
        assertThatThrownBy(() -> CqlParser.parse("SELECT a, b, c, d FROM"))
                .hasMessage("line 1:22 no viable alternative at input '<EOF>' (c, d FROM[<EOF>])");
        assertThatThrownBy(() -> CqlParser.parse("SELECT a\n\n  ,\tb  FROM t WHERE ? = 1"))
                .hasMessage("line 3:20 bind variables cannot be used for column names (b FROM t WHERE [?]...)");
    }

    @Test
    void unsupportedStatementsSaySo() {
        assertThatThrownBy(() -> CqlParser.parse("CREATE ROLE r"))
                .hasMessageEndingWith(": CREATE ROLE is not supported");
        assertThatThrownBy(() -> CqlParser.parse("grant all on ks to r"))
                .hasMessageEndingWith(": GRANT is not supported");
    }

    @Test
    void positionIsExposedAndCountsLines() {
        CqlSyntaxException e = catchThrowableOfType(CqlSyntaxException.class,
                () -> CqlParser.parse("SELECT *\nFROM t\nWHERE a = = 1"));
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(10);
        assertThat(e.getMessage()).startsWith("line 3:10 no viable alternative at input '='");
    }

    @Test
    void nullInputIsRejected() {
        assertThatThrownBy(() -> CqlParser.parse(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("cql is null");
    }

    @Test
    void nestingDeeperThanTheLimitIsASyntaxErrorNotAStackOverflow() {
        String ok = "SELECT " + "(".repeat(30) + "a + 1" + ")".repeat(30) + " FROM t";
        assertThat(CqlParser.parse(ok).statement()).isNotNull();
        for (String deep : java.util.List.of(
                "SELECT * FROM t WHERE k = " + "(".repeat(5_000) + "1" + ")".repeat(5_000),
                "INSERT INTO t (k, l) VALUES (1, " + "[".repeat(100_000) + "1" + "]".repeat(100_000) + ")",
                "CREATE TABLE t (k int PRIMARY KEY, l " + "frozen<list<".repeat(200) + "int" + ">>".repeat(200) + ")")) {
            assertThatThrownBy(() -> CqlParser.parse(deep)).isInstanceOf(CqlSyntaxException.class)
                    .hasMessageContaining("nests terms, selectors or types more than " + Parser.MAX_NESTING);
        }
    }
}
