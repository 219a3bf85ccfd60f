package io.strata.cql.session;

import io.strata.cql.testing.CqlFixture;
import static io.strata.cql.testing.CqlFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.parse.CqlParser;
import io.strata.cql.types.NativeType;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server-side DESCRIBE: result shapes, and CREATE statements that recreate the same schema. */
class TestDescribe {
    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    @BeforeEach
    void setUp() {
        db.ok("CREATE TYPE addr (street text, \"Zip\" int)");
        db.ok("CREATE TABLE t (k int, c text, v list<frozen<addr>>, s int STATIC, PRIMARY KEY ((k), c)) "
                + "WITH CLUSTERING ORDER BY (c DESC) AND comment = 'it''s' AND default_time_to_live = 60");
        db.ok("CREATE TABLE u (a int, b int, v text, PRIMARY KEY ((a, b)))");
    }


    private List<List<String>> text(String cql, int columns) {
        NativeType[] types = new NativeType[columns];
        java.util.Arrays.fill(types, NativeType.TEXT);
        return rows(db.run(cql), types).stream()
                .map(r -> r.stream().map(v -> v.substring(1, v.length() - 1).replace("''", "'")).toList())
                .toList(); // the fixture renders CQL literals: unquote them
    }

    @Test
    void listings() {
        assertThat(text("DESCRIBE TABLES", 3)).containsExactly(List.of("ks", "table", "t"), List.of("ks", "table", "u"));
        assertThat(text("DESC TYPES", 3)).containsExactly(List.of("ks", "type", "addr"));
        assertThat(text("DESCRIBE KEYSPACES", 3)).contains(List.of("ks", "keyspace", "ks"),
                List.of("system", "keyspace", "system"));
    }

    @Test
    void aDescribedTableIsRecreatedIdentically() {
        List<List<String>> before = text("DESCRIBE TABLE t", 4);
        assertThat(before).hasSize(1);
        String create = before.get(0).get(3);
        assertThat(create).startsWith("CREATE TABLE ks.t (").contains("s int static")
                .contains("CLUSTERING ORDER BY (c DESC)").contains("comment = 'it''s'");
        assertThat(CqlParser.parse(create).statement()).isInstanceOf(io.strata.cql.ast.CreateTable.class);
        db.ok("DROP TABLE t");
        db.ok(create);
        assertThat(text("DESCRIBE TABLE t", 4)).isEqualTo(before);
    }

    @Test
    void describeKeyspaceListsTheKeyspaceThenTypesThenTables() {
        List<List<String>> r = text("DESCRIBE KEYSPACE ks", 4);
        assertThat(r.stream().map(x -> x.get(1) + ":" + x.get(2)).toList())
                .containsExactly("keyspace:ks", "type:addr", "table:t", "table:u");
        assertThat(r.get(1).get(3)).contains("\"Zip\" int");
        assertThat(r.get(3).get(3)).contains("PRIMARY KEY ((a, b))");
        for (List<String> row : r) {
            assertThat(CqlParser.parse(row.get(3))).isNotNull();
        }
    }

    @Test
    void unknownElementsAreInvalid() {
        assertThat(db.invalid("DESCRIBE TABLE nope")).contains("nope");
        assertThat(db.invalid("DESCRIBE KEYSPACE nope")).contains("nope");
    }
}
