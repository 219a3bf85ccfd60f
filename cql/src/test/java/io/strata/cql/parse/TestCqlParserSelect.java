package io.strata.cql.parse;

import static io.strata.cql.parse.Parsing.integer;
import static io.strata.cql.parse.Parsing.marker;
import static io.strata.cql.parse.Parsing.parse;
import static io.strata.cql.parse.Parsing.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.ast.Ordering;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.TypeRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class TestCqlParserSelect {

    @Test
    void selectStar() {
        Select select = parse("SELECT * FROM t", Select.class);
        assertThat(select.table()).isEqualTo(new QualifiedName(null, "t"));
        assertThat(select.isSelectStar()).isTrue();
        assertThat(select.where()).isEmpty();
        assertThat(select.json()).isFalse();
        assertThat(select.distinct()).isFalse();
        assertThat(select.limit()).isNull();
        assertThat(select.perPartitionLimit()).isNull();
        assertThat(select.allowFiltering()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM ks.t;", "select * from KS.T", "  SELECT *\nFROM ks . t ;  ", "SELECT * FROM \"ks\".t"})
    void qualifiedTableNamesWithOptionalSemicolon(String cql) {
        assertThat(parse(cql, Select.class).table()).isEqualTo(new QualifiedName("ks", "t"));
    }

    @Test
    void selectionWithAliasesFunctionsAndModifiers() {
        Select select = parse("SELECT a, b AS bee, count(*), COUNT(1) AS n, writetime(c), TTL(c), maxwritetime(c), "
                + "token(k1, k2), toJson(m), system.now(), CAST(a AS text), u.street, m['k'], l[1..3], s[..'b'], "
                + "\"Quoted\", ? , 42, 'lit', (int) 3 FROM t", Select.class);
        assertThat(select.selection()).extracting(SelectItem::selector).containsExactly(
                new Selector.ColumnRef("a"),
                new Selector.ColumnRef("b"),
                new Selector.FunctionCall("count", List.of(Selector.Star.INSTANCE)),
                new Selector.FunctionCall("count", List.of(new Selector.TermSelector(integer("1")))),
                new Selector.FunctionCall("writetime", List.of(new Selector.ColumnRef("c"))),
                new Selector.FunctionCall("ttl", List.of(new Selector.ColumnRef("c"))),
                new Selector.FunctionCall("maxwritetime", List.of(new Selector.ColumnRef("c"))),
                new Selector.FunctionCall("token", List.of(new Selector.ColumnRef("k1"), new Selector.ColumnRef("k2"))),
                new Selector.FunctionCall("tojson", List.of(new Selector.ColumnRef("m"))),
                new Selector.FunctionCall("system", "now", List.of()),
                new Selector.Cast(new Selector.ColumnRef("a"), new TypeRef.Native("text")),
                new Selector.FieldAccess(new Selector.ColumnRef("u"), "street"),
                new Selector.ElementAccess(new Selector.ColumnRef("m"), string("k")),
                new Selector.SliceAccess(new Selector.ColumnRef("l"), integer("1"), integer("3")),
                new Selector.SliceAccess(new Selector.ColumnRef("s"), null, string("b")),
                new Selector.ColumnRef("Quoted"),
                new Selector.TermSelector(marker(0)),
                new Selector.TermSelector(integer("42")),
                new Selector.TermSelector(string("lit")),
                new Selector.TermSelector(new Term.Cast(new TypeRef.Native("int"), integer("3"))));
        assertThat(select.selection()).extracting(SelectItem::alias)
                .containsExactly(null, "bee", null, "n", null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null);
    }

    @Test
    void writetimeOfAFieldOrElement() {
        Select select = parse("SELECT writetime(u.f), ttl(m['k']) FROM t", Select.class);
        assertThat(select.selection()).extracting(SelectItem::selector).containsExactly(
                new Selector.FunctionCall("writetime",
                        List.of(new Selector.FieldAccess(new Selector.ColumnRef("u"), "f"))),
                new Selector.FunctionCall("ttl",
                        List.of(new Selector.ElementAccess(new Selector.ColumnRef("m"), string("k")))));
    }

    @Test
    void nestedFunctionCalls() {
        Select select = parse("SELECT toTimestamp(now()), blobAsText(0x41) FROM t", Select.class);
        assertThat(select.selection()).extracting(SelectItem::selector).containsExactly(
                new Selector.FunctionCall("totimestamp", List.of(new Selector.FunctionCall("now", List.of()))),
                new Selector.FunctionCall("blobastext",
                        List.of(new Selector.TermSelector(new Term.Literal(Term.Literal.Kind.HEX, "41")))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SELECT JSON * FROM t|true|false|0",
            "SELECT JSON a FROM t|true|false|1",
            "SELECT json FROM t|false|false|1",
            "SELECT json, a FROM t|false|false|2",
            "SELECT JSON json FROM t|true|false|1",
            "SELECT DISTINCT k FROM t|false|true|1",
            "SELECT distinct FROM t|false|false|1",
            "SELECT DISTINCT distinct FROM t|false|true|1",
            "SELECT JSON DISTINCT k FROM t|true|true|1",
            "SELECT JSON distinct FROM t|true|false|1",
            "SELECT json AS j FROM t|false|false|1",
    })
    void jsonAndDistinctAreModifiersOnlyBeforeASelection(String cql, boolean json, boolean distinct, int items) {
        Select select = parse(cql, Select.class);
        assertThat(select.json()).isEqualTo(json);
        assertThat(select.distinct()).isEqualTo(distinct);
        assertThat(select.selection()).hasSize(items);
    }

    @Test
    void whereRelations() {
        Select select = parse("SELECT * FROM t WHERE a = 1 AND b != 2 AND c < 3 AND d <= 4 AND e > 5 AND f >= 6 "
                + "AND g IN (1, 2) AND h IN ? AND i IN () AND j CONTAINS 'x' AND k CONTAINS KEY 'y' AND l LIKE 'p%' "
                + "AND m IS NOT NULL AND n['key'] = 'v'", Select.class);
        assertThat(select.where()).containsExactly(
                new Relation.SingleColumn("a", Operator.EQ, integer("1")),
                new Relation.SingleColumn("b", Operator.NEQ, integer("2")),
                new Relation.SingleColumn("c", Operator.LT, integer("3")),
                new Relation.SingleColumn("d", Operator.LTE, integer("4")),
                new Relation.SingleColumn("e", Operator.GT, integer("5")),
                new Relation.SingleColumn("f", Operator.GTE, integer("6")),
                new Relation.SingleColumn("g", Operator.IN, new Term.InValues(List.of(integer("1"), integer("2")))),
                new Relation.SingleColumn("h", Operator.IN, marker(0)),
                new Relation.SingleColumn("i", Operator.IN, new Term.InValues(List.of())),
                new Relation.SingleColumn("j", Operator.CONTAINS, string("x")),
                new Relation.SingleColumn("k", Operator.CONTAINS_KEY, string("y")),
                new Relation.SingleColumn("l", Operator.LIKE, string("p%")),
                new Relation.SingleColumn("m", Operator.IS_NOT, Term.Literal.NULL),
                new Relation.ElementOf("n", string("key"), Operator.EQ, string("v")));
    }

    @Test
    void multiColumnRelations() {
        Select select = parse("SELECT * FROM t WHERE k = 0 AND (a, b) > (1, 2) AND (a, b) <= ? "
                + "AND (a, b) IN ((1, 2), (3, 4)) AND (a) IN (?, :p) AND (a, b) IN ? AND (c) IN ()", Select.class);
        Term.TupleLiteral t12 = new Term.TupleLiteral(List.of(integer("1"), integer("2")));
        Term.TupleLiteral t34 = new Term.TupleLiteral(List.of(integer("3"), integer("4")));
        assertThat(select.where()).containsExactly(
                new Relation.SingleColumn("k", Operator.EQ, integer("0")),
                new Relation.MultiColumn(List.of("a", "b"), Operator.GT, t12),
                new Relation.MultiColumn(List.of("a", "b"), Operator.LTE, marker(0)),
                new Relation.MultiColumn(List.of("a", "b"), Operator.IN, new Term.InValues(List.of(t12, t34))),
                new Relation.MultiColumn(List.of("a"), Operator.IN,
                        new Term.InValues(List.of(marker(1), new Term.BindMarker(2, "p")))),
                new Relation.MultiColumn(List.of("a", "b"), Operator.IN, marker(3)),
                new Relation.MultiColumn(List.of("c"), Operator.IN, new Term.InValues(List.of())));
    }

    @Test
    void tokenRelations() {
        Select select = parse("SELECT * FROM t WHERE token(a, b) > token(?, ?) AND TOKEN(a, b) <= -9223372036854775808",
                Select.class);
        assertThat(select.where()).containsExactly(
                new Relation.Token(List.of("a", "b"), Operator.GT,
                        new Term.FunctionCall(null, "token", List.of(marker(0), marker(1)))),
                new Relation.Token(List.of("a", "b"), Operator.LTE, integer("-9223372036854775808")));
    }

    @Test
    void parenthesisedRelation() {
        Select select = parse("SELECT * FROM t WHERE (a = 1) AND ((b > 2))", Select.class);
        assertThat(select.where()).containsExactly(
                new Relation.SingleColumn("a", Operator.EQ, integer("1")),
                new Relation.SingleColumn("b", Operator.GT, integer("2")));
    }

    @Test
    void trailingClauses() {
        Select select = parse("SELECT k, max(v) FROM t WHERE k IN (1, 2) GROUP BY k, c ORDER BY c DESC, d ASC, e "
                + "PER PARTITION LIMIT 2 LIMIT ? ALLOW FILTERING", Select.class);
        assertThat(select.groupBy()).containsExactly("k", "c");
        assertThat(select.orderBy()).containsExactly(
                new Ordering("c", true), new Ordering("d", false), new Ordering("e", false));
        assertThat(select.perPartitionLimit()).isEqualTo(integer("2"));
        assertThat(select.limit()).isEqualTo(marker(0));
        assertThat(select.allowFiltering()).isTrue();
    }

    @Test
    void bindMarkersAreNumberedInOrderOfAppearance() {
        var parsed = CqlParser.parse("SELECT ? FROM t WHERE a = :x AND b IN (?, :y) PER PARTITION LIMIT ? LIMIT :lim");
        assertThat(parsed.bindMarkers()).containsExactly(
                new Term.BindMarker(0, null), new Term.BindMarker(1, "x"), new Term.BindMarker(2, null),
                new Term.BindMarker(3, "y"), new Term.BindMarker(4, null), new Term.BindMarker(5, "lim"));
    }

    @Test
    void unreservedKeywordsAsColumnAndTableNames() {
        Select select = parse("SELECT key, type, ttl, writetime, json, count, filtering, values, text, date, cluster "
                + "FROM keyspaces.tables WHERE key = 1 AND type = 'x'", Select.class);
        assertThat(select.selection()).extracting(s -> ((Selector.ColumnRef) s.selector()).name())
                .containsExactly("key", "type", "ttl", "writetime", "json", "count", "filtering", "values", "text",
                        "date", "cluster");
        assertThat(select.table()).isEqualTo(new QualifiedName("keyspaces", "tables"));
    }

    @Test
    void identifiersAreCaseNormalisedUnlessQuoted() {
        Select select = parse("SELECT MyCol, \"MyCol\", \"a\"\"b\", \"select\" FROM MyKs.\"MyTable\" WHERE \"K\" = 1",
                Select.class);
        assertThat(select.selection()).extracting(s -> ((Selector.ColumnRef) s.selector()).name())
                .containsExactly("mycol", "MyCol", "a\"b", "select");
        assertThat(select.table()).isEqualTo(new QualifiedName("myks", "MyTable"));
        assertThat(((Relation.SingleColumn) select.where().get(0)).column()).isEqualTo("K");
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(CqlParser.parse("sElEcT * FrOm t wHeRe a = 1 LiMiT 1 aLlOw FiLtErInG"))
                .isEqualTo(CqlParser.parse("SELECT * FROM t WHERE a = 1 LIMIT 1 ALLOW FILTERING"));
    }
}
