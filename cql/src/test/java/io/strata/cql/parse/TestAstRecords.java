package io.strata.cql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.ast.Batch;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.DeleteTarget;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.ast.Using;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invariants of the AST records the parser produces (they are public API for the analyzer). */
final class TestAstRecords {

    @Test
    void parsedStatementsAreImmutable() {
        ParsedStatement parsed = CqlParser.parse("CREATE TABLE t (k int PRIMARY KEY) WITH c = {'a': 1}");
        CreateTable table = (CreateTable) parsed.statement();
        assertThatThrownBy(() -> table.columns().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> table.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) table.properties().get("c");
        assertThatThrownBy(() -> nested.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> parsed.bindMarkers().add(new Term.BindMarker(0, null)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordsCopyTheirInputs() {
        List<Term> values = new ArrayList<>(List.of(new Term.Literal(Term.Literal.Kind.INTEGER, "1")));
        Term.ListLiteral list = new Term.ListLiteral(values);
        values.clear();
        assertThat(list.elements()).hasSize(1);

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("b", "1");
        properties.put("a", "2");
        CreateKeyspace create = new CreateKeyspace("ks", false, properties);
        properties.clear();
        assertThat(create.properties()).containsOnlyKeys("b", "a");
        assertThat(create.properties().keySet()).containsExactly("b", "a");
    }

    @Test
    void batchesHoldOnlyModifications() {
        Select select = (Select) CqlParser.parse("SELECT * FROM t").statement();
        assertThatThrownBy(() -> new Batch(Batch.Type.LOGGED, Using.NONE, List.of(select)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void collectionArity() {
        TypeRef text = new TypeRef.Native("text");
        assertThatThrownBy(() -> new TypeRef.Collection(TypeRef.Collection.Kind.MAP, List.of(text)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TypeRef.Collection(TypeRef.Collection.Kind.LIST, List.of(text, text)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteTargetIsAnElementOrAFieldNotBoth() {
        assertThatThrownBy(() -> new DeleteTarget("c", Term.Literal.NULL, "f"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DeleteTarget("c", null)).isEqualTo(new DeleteTarget("c", null, null));
    }

    @Test
    void nullChecksNameTheField() {
        assertThatThrownBy(() -> new QualifiedName("ks", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name is null");
        assertThat(new QualifiedName("ks", "t")).hasToString("ks.t");
        assertThat(QualifiedName.of("t").hasKeyspace()).isFalse();
    }
}
