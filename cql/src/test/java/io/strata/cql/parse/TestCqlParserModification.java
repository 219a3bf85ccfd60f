package io.strata.cql.parse;

import static io.strata.cql.parse.Parsing.integer;
import static io.strata.cql.parse.Parsing.marker;
import static io.strata.cql.parse.Parsing.parse;
import static io.strata.cql.parse.Parsing.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.ast.Assignment;
import io.strata.cql.ast.Batch;
import io.strata.cql.ast.Condition;
import io.strata.cql.ast.Delete;
import io.strata.cql.ast.DeleteTarget;
import io.strata.cql.ast.Insert;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.Update;
import io.strata.cql.ast.Using;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class TestCqlParserModification {

    @Test
    void insertValues() {
        Insert insert = parse("INSERT INTO ks.t (k, c, v) VALUES (1, 'a', ?)", Insert.class);
        assertThat(insert.table()).isEqualTo(new QualifiedName("ks", "t"));
        assertThat(insert.columns()).containsExactly("k", "c", "v");
        assertThat(insert.values()).containsExactly(integer("1"), string("a"), marker(0));
        assertThat(insert.ifNotExists()).isFalse();
        assertThat(insert.using()).isEqualTo(Using.NONE);
        assertThat(insert.isJson()).isFalse();
    }

    @Test
    void insertIfNotExistsUsingTtlAndTimestamp() {
        Insert insert = parse("INSERT INTO t (k) VALUES (1) IF NOT EXISTS USING TTL 86400 AND TIMESTAMP ?", Insert.class);
        assertThat(insert.ifNotExists()).isTrue();
        assertThat(insert.using()).isEqualTo(new Using(marker(0), integer("86400")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "INSERT INTO t JSON '{\"k\": 1}'|false",
            "INSERT INTO t JSON '{\"k\": 1}' DEFAULT NULL|false",
            "INSERT INTO t JSON '{\"k\": 1}' DEFAULT UNSET|true",
    })
    void insertJson(String cql, boolean defaultUnset) {
        Insert insert = parse(cql, Insert.class);
        assertThat(insert.json()).isEqualTo(string("{\"k\": 1}"));
        assertThat(insert.defaultUnset()).isEqualTo(defaultUnset);
        assertThat(insert.columns()).isEmpty();
        assertThat(insert.values()).isEmpty();
    }

    @Test
    void insertJsonWithMarkerAndClauses() {
        Insert insert = parse("INSERT INTO t JSON :doc IF NOT EXISTS USING TTL 5", Insert.class);
        assertThat(insert.json()).isEqualTo(new Term.BindMarker(0, "doc"));
        assertThat(insert.ifNotExists()).isTrue();
        assertThat(insert.using().ttl()).isEqualTo(integer("5"));
    }

    @Test
    void updateAssignments() {
        Update update = parse("UPDATE t USING TIMESTAMP 10 SET a = 1, b = b + 2, c = c - ?, l = [0] + l, "
                + "s = s + {'x'}, m = m - {'k'}, m['k'] = 'v', l[0] = 9, u.f = 'x', n += 3, o -= 4 "
                + "WHERE k = 1", Update.class);
        assertThat(update.using()).isEqualTo(new Using(integer("10"), null));
        assertThat(update.assignments()).containsExactly(
                new Assignment.SetColumn("a", integer("1")),
                new Assignment.Increment("b", integer("2")),
                new Assignment.Decrement("c", marker(0)),
                new Assignment.Prepend("l", new Term.ListLiteral(List.of(integer("0")))),
                new Assignment.Increment("s", new Term.SetLiteral(List.of(string("x")))),
                new Assignment.Decrement("m", new Term.SetLiteral(List.of(string("k")))),
                new Assignment.SetElement("m", string("k"), string("v")),
                new Assignment.SetElement("l", integer("0"), integer("9")),
                new Assignment.SetField("u", "f", string("x")),
                new Assignment.Increment("n", integer("3")),
                new Assignment.Decrement("o", integer("4")));
        assertThat(update.where()).containsExactly(new Relation.SingleColumn("k", Operator.EQ, integer("1")));
        assertThat(update.conditions()).isEmpty();
        assertThat(update.ifExists()).isFalse();
    }

    @Test
    void counterUpdateWithoutSpaces() {
        Update update = parse("UPDATE t SET c=c-1,d=d+-2 WHERE k=-1", Update.class);
        assertThat(update.assignments()).containsExactly(
                new Assignment.Decrement("c", integer("1")),
                new Assignment.Increment("d", integer("-2")));
        assertThat(update.where()).containsExactly(new Relation.SingleColumn("k", Operator.EQ, integer("-1")));
    }

    @Test
    void updateConditions() {
        Update update = parse("UPDATE t SET v = 1 WHERE k = 1 IF v = 0 AND m['a'] IN ('x', 'y') AND u.f != ? "
                + "AND w IN ? AND s CONTAINS 3 AND exists = true AND l[0] > 1", Update.class);
        assertThat(update.ifExists()).isFalse();
        assertThat(update.conditions()).containsExactly(
                new Condition("v", null, null, Operator.EQ, integer("0")),
                new Condition("m", string("a"), null, Operator.IN, new Term.InValues(List.of(string("x"), string("y")))),
                new Condition("u", null, "f", Operator.NEQ, marker(0)),
                new Condition("w", null, null, Operator.IN, marker(1)),
                new Condition("s", null, null, Operator.CONTAINS, integer("3")),
                new Condition("exists", null, null, Operator.EQ, new Term.Literal(Term.Literal.Kind.BOOLEAN, "true")),
                new Condition("l", integer("0"), null, Operator.GT, integer("1")));
    }

    @Test
    void updateIfExists() {
        Update update = parse("UPDATE t USING TTL 3 AND TIMESTAMP 4 SET v = null WHERE k = 1 IF EXISTS;", Update.class);
        assertThat(update.ifExists()).isTrue();
        assertThat(update.using()).isEqualTo(new Using(integer("4"), integer("3")));
        assertThat(update.assignments()).containsExactly(new Assignment.SetColumn("v", Term.Literal.NULL));
    }

    @Test
    void assignmentArithmeticMustUseTheSameColumn() {
        assertThatThrownBy(() -> CqlParser.parse("UPDATE t SET a = b + 1 WHERE k = 1"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:17 only expressions of the form X = X + <value> are supported");
        assertThatThrownBy(() -> CqlParser.parse("UPDATE t SET a = [1] + b WHERE k = 1"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:23 only expressions of the form X = <value> + X are supported");
    }

    @Test
    void deleteWholeRow() {
        Delete delete = parse("DELETE FROM ks.t WHERE k = ? AND c > 3", Delete.class);
        assertThat(delete.targets()).isEmpty();
        assertThat(delete.table()).isEqualTo(new QualifiedName("ks", "t"));
        assertThat(delete.using()).isEqualTo(Using.NONE);
        assertThat(delete.where()).containsExactly(
                new Relation.SingleColumn("k", Operator.EQ, marker(0)),
                new Relation.SingleColumn("c", Operator.GT, integer("3")));
    }

    @Test
    void deleteColumnsElementsAndFields() {
        Delete delete = parse("DELETE a, m['k'], l[?], u.f FROM t USING TIMESTAMP 99 WHERE k = 1 IF a = 2", Delete.class);
        assertThat(delete.targets()).containsExactly(
                new DeleteTarget("a", null),
                new DeleteTarget("m", string("k")),
                new DeleteTarget("l", marker(0)),
                new DeleteTarget("u", null, "f"));
        assertThat(delete.using()).isEqualTo(new Using(integer("99"), null));
        assertThat(delete.conditions()).containsExactly(new Condition("a", null, null, Operator.EQ, integer("2")));
    }

    @Test
    void deleteIfExists() {
        assertThat(parse("DELETE FROM t WHERE k = 1 IF EXISTS", Delete.class).ifExists()).isTrue();
    }

    @Test
    void deleteDoesNotTakeTtl() {
        assertThatThrownBy(() -> CqlParser.parse("DELETE FROM t USING TTL 1 WHERE k = 1"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:20 mismatched input 'TTL' expecting K_TIMESTAMP");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "BEGIN BATCH INSERT INTO t (k) VALUES (1) APPLY BATCH|LOGGED",
            "BEGIN UNLOGGED BATCH INSERT INTO t (k) VALUES (1); APPLY BATCH;|UNLOGGED",
            "begin counter batch UPDATE t SET c = c + 1 WHERE k = 1 apply batch|COUNTER",
    })
    void batchTypes(String cql, Batch.Type type) {
        Batch batch = parse(cql, Batch.class);
        assertThat(batch.type()).isEqualTo(type);
        assertThat(batch.statements()).hasSize(1);
    }

    @Test
    void batchNumbersMarkersAcrossStatements() {
        var parsed = CqlParser.parse("BEGIN BATCH USING TIMESTAMP ? "
                + "INSERT INTO t (k, v) VALUES (?, ?); "
                + "UPDATE t SET v = ? WHERE k = ? "
                + "DELETE FROM t WHERE k = :last; "
                + "APPLY BATCH");
        Batch batch = (Batch) parsed.statement();
        assertThat(batch.using()).isEqualTo(new Using(marker(0), null));
        assertThat(batch.statements()).hasExactlyElementsOfTypes(Insert.class, Update.class, Delete.class);
        assertThat(parsed.bindMarkers()).extracting(Term.BindMarker::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(((Delete) batch.statements().get(2)).where())
                .containsExactly(new Relation.SingleColumn("k", Operator.EQ, new Term.BindMarker(5, "last")));
    }

    @Test
    void batchRejectsSelect() {
        assertThatThrownBy(() -> CqlParser.parse("BEGIN BATCH SELECT * FROM t APPLY BATCH"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:12 no viable alternative at input 'SELECT'");
    }

    @Test
    void insertColumnAndValueCountsMustMatch() {
        // an invalid request, not a syntax error, as in Cassandra
        assertThatThrownBy(() -> CqlParser.parse("INSERT INTO t (a, b) VALUES (1)"))
                .isInstanceOf(io.strata.cql.types.InvalidValueException.class)
                .hasMessageContaining("Unmatched column names/values: 2 columns but 1 values");
    }

    @Test
    void usingClauseMayNotRepeat() {
        assertThatThrownBy(() -> CqlParser.parse("INSERT INTO t (a) VALUES (1) USING TTL 1 AND TTL 2"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:45 multiple TTL clauses");
    }
}
