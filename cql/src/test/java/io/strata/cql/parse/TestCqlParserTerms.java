package io.strata.cql.parse;

import static io.strata.cql.parse.Parsing.integer;
import static io.strata.cql.parse.Parsing.literal;
import static io.strata.cql.parse.Parsing.marker;
import static io.strata.cql.parse.Parsing.parse;
import static io.strata.cql.parse.Parsing.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.strata.cql.ast.Insert;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.Term.Literal.Kind;
import io.strata.cql.ast.TypeRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class TestCqlParserTerms {

    /** The single value of {@code INSERT INTO t (c) VALUES (<text>)}. */
    private static Term term(String text) {
        Insert insert = parse("INSERT INTO t (c) VALUES (" + text + ")", Insert.class);
        return insert.values().get(0);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "42|INTEGER|42",
            "-42|INTEGER|-42",
            "- 42|INTEGER|-42",
            "3.25|FLOAT|3.25",
            "-1.5e-3|FLOAT|-1.5e-3",
            "1E10|FLOAT|1E10",
            "NaN|NAN|NaN",
            "nan|NAN|NaN",
            "-NaN|NAN|-NaN",
            "Infinity|INFINITY|Infinity",
            "-infinity|INFINITY|-Infinity",
            "true|BOOLEAN|true",
            "FALSE|BOOLEAN|false",
            "null|NULL|null",
            "NULL|NULL|null",
            "'text'|STRING|text",
            "'it''s'|STRING|it's",
            "''|STRING|``",
            "$$a 'quoted' $ string$$|STRING|a 'quoted' $ string",
            "0xdeadBEEF|HEX|deadBEEF",
            "0x|HEX|``",
            "550e8400-e29b-41d4-a716-446655440000|UUID|550e8400-e29b-41d4-a716-446655440000",
            "1h30m|DURATION|1h30m",
            "-2d|DURATION|-2d",
            "1y2mo3w4d5h6m7s8ms9us10ns|DURATION|1y2mo3w4d5h6m7s8ms9us10ns",
            "P1Y2M3DT4H5M6S|DURATION|P1Y2M3DT4H5M6S",
            "-PT1H|DURATION|-PT1H",
            "P2W|DURATION|P2W",
            "P0001-02-03T04:05:06|DURATION|P0001-02-03T04:05:06",
    })
    void constants(String text, Kind kind, String value) {
        assertThat(term(text)).isEqualTo(literal(kind, value == null ? "" : value));
    }

    @Test
    void stringsKeepUnicodeAndNewlines() {
        assertThat(term("'h\u00e9llo\n\u4e16\u754c \ud83d\ude00'")).isEqualTo(string("h\u00e9llo\n\u4e16\u754c \ud83d\ude00"));
    }

    @Test
    void collections() {
        assertThat(term("[1, 2, 3]")).isEqualTo(new Term.ListLiteral(List.of(integer("1"), integer("2"), integer("3"))));
        assertThat(term("[]")).isEqualTo(new Term.ListLiteral(List.of()));
        assertThat(term("{'a', 'b'}")).isEqualTo(new Term.SetLiteral(List.of(string("a"), string("b"))));
        assertThat(term("{}")).isEqualTo(new Term.MapLiteral(List.of()));
        assertThat(term("{'a': 1, 'b': ?}")).isEqualTo(new Term.MapLiteral(List.of(
                Map.entry(string("a"), integer("1")), Map.entry(string("b"), marker(0)))));
        assertThat(term("{1: [2], 3: {4}}")).isEqualTo(new Term.MapLiteral(List.of(
                Map.entry(integer("1"), new Term.ListLiteral(List.of(integer("2")))),
                Map.entry(integer("3"), new Term.SetLiteral(List.of(integer("4")))))));
    }

    @Test
    void mapLiteralKeepsEntryOrderAndDuplicates() {
        Term.MapLiteral map = (Term.MapLiteral) term("{'b': 1, 'a': 2, 'b': 3}");
        assertThat(map.entries()).extracting(e -> ((Term.Literal) e.getKey()).text()).containsExactly("b", "a", "b");
    }

    @Test
    void userTypeLiterals() {
        Term.UdtLiteral udt = (Term.UdtLiteral) term("{street: '1 Main', \"Zip\": 12345, nested: {a: 1}, key: null}");
        assertThat(udt.fields()).containsExactly(
                entry("street", string("1 Main")),
                entry("Zip", integer("12345")),
                entry("nested", new Term.UdtLiteral(Map.of("a", integer("1")))),
                entry("key", Term.Literal.NULL));
        assertThatThrownBy(() -> term("{a: 1, A: 2}"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageContaining("duplicate field a in user type literal");
    }

    @Test
    void tuples() {
        assertThat(term("(1, 'a', ?)")).isEqualTo(new Term.TupleLiteral(List.of(integer("1"), string("a"), marker(0))));
        assertThat(term("(1)")).isEqualTo(new Term.TupleLiteral(List.of(integer("1"))));
        assertThat(term("((1, 2), (3))")).isEqualTo(new Term.TupleLiteral(List.of(
                new Term.TupleLiteral(List.of(integer("1"), integer("2"))),
                new Term.TupleLiteral(List.of(integer("3"))))));
    }

    @Test
    void typeHints() {
        assertThat(term("(int) 3")).isEqualTo(new Term.Cast(new TypeRef.Native("int"), integer("3")));
        assertThat(term("(bigint) ?")).isEqualTo(new Term.Cast(new TypeRef.Native("bigint"), marker(0)));
        assertThat(term("(list<int>) [1]")).isEqualTo(new Term.Cast(
                new TypeRef.Collection(TypeRef.Collection.Kind.LIST, List.of(new TypeRef.Native("int"))),
                new Term.ListLiteral(List.of(integer("1")))));
        assertThat(term("(set<text>) {}")).isEqualTo(new Term.Cast(
                new TypeRef.Collection(TypeRef.Collection.Kind.SET, List.of(new TypeRef.Native("text"))),
                new Term.MapLiteral(List.of())));
        assertThat(term("(ks.addr) {street: 'x'}")).isEqualTo(new Term.Cast(
                new TypeRef.UserType(new QualifiedName("ks", "addr")),
                new Term.UdtLiteral(Map.of("street", string("x")))));
        assertThat(term("(tuple<int, int>) (1, 2)")).isEqualTo(new Term.Cast(
                new TypeRef.Tuple(List.of(new TypeRef.Native("int"), new TypeRef.Native("int"))),
                new Term.TupleLiteral(List.of(integer("1"), integer("2")))));
    }

    @Test
    void functionCalls() {
        assertThat(term("now()")).isEqualTo(new Term.FunctionCall(null, "now", List.of()));
        assertThat(term("toTimestamp(now())")).isEqualTo(new Term.FunctionCall(null, "totimestamp",
                List.of(new Term.FunctionCall(null, "now", List.of()))));
        assertThat(term("system.uuid()")).isEqualTo(new Term.FunctionCall("system", "uuid", List.of()));
        assertThat(term("\"MyFn\"(1, ?)")).isEqualTo(new Term.FunctionCall(null, "MyFn", List.of(integer("1"), marker(0))));
        assertThat(term("minTimeuuid('2013-01-01 00:05+0000')")).isEqualTo(new Term.FunctionCall(null, "mintimeuuid",
                List.of(string("2013-01-01 00:05+0000"))));
    }

    @Test
    void namedAndPositionalMarkers() {
        var parsed = CqlParser.parse("INSERT INTO t (a, b, c, d) VALUES (?, :b, :\"Quoted\", [?, :e])");
        assertThat(parsed.bindMarkers()).containsExactly(
                new Term.BindMarker(0, null), new Term.BindMarker(1, "b"), new Term.BindMarker(2, "Quoted"),
                new Term.BindMarker(3, null), new Term.BindMarker(4, "e"));
    }

    @Test
    void sameNamedMarkerTwiceGetsTwoIndexes() {
        var parsed = CqlParser.parse("SELECT * FROM t WHERE a = :x AND b = :x");
        assertThat(parsed.bindMarkers()).containsExactly(new Term.BindMarker(0, "x"), new Term.BindMarker(1, "x"));
    }

    @Test
    void bareIdentifierIsNotATerm() {
        assertThatThrownBy(() -> term("abc"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:26 no viable alternative at input 'abc'");
    }
}
