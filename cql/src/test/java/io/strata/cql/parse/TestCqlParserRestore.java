package io.strata.cql.parse;

import static io.strata.cql.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.RestoreTable;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Amazon Keyspaces' RESTORE TABLE statement, as its developer guide spells it. */
final class TestCqlParserRestore {

    @Test
    void restoreWithoutATimestampRestoresNow() {
        assertThat(parse("RESTORE TABLE ks.t_restored FROM TABLE ks.t", RestoreTable.class))
                .isEqualTo(new RestoreTable(new QualifiedName("ks", "t_restored"), new QualifiedName("ks", "t"), Map.of()));
        assertThat(parse("restore table new_t from table old_t;", RestoreTable.class))
                .isEqualTo(new RestoreTable(new QualifiedName(null, "new_t"), new QualifiedName(null, "old_t"), Map.of()));
    }

    @Test
    void restoreWithTheKeyspacesOptions() {
        RestoreTable r = parse("RESTORE TABLE mykeyspace.mytable_restored FROM TABLE mykeyspace.my_table"
                + " WITH restore_timestamp = '2020-06-30T04:05:00+0000'"
                + " AND custom_properties = {'point_in_time_recovery': {'status': 'disabled'},"
                + " 'capacity_mode': {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 10, 'write_capacity_units': 20}}"
                + " AND TAGS = {'key1': 'val1', 'key2': 'val2'}", RestoreTable.class);
        assertThat(r.target()).isEqualTo(new QualifiedName("mykeyspace", "mytable_restored"));
        assertThat(r.source()).isEqualTo(new QualifiedName("mykeyspace", "my_table"));
        assertThat(r.properties()).containsOnlyKeys("restore_timestamp", "custom_properties", "tags");
        assertThat(r.properties().get("restore_timestamp")).isEqualTo("2020-06-30T04:05:00+0000");
        assertThat(r.properties().get("tags")).isEqualTo(Map.of("key1", "val1", "key2", "val2"));
        assertThatThrownBy(() -> r.properties().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedRestoresAreSyntaxErrors() {
        assertThatThrownBy(() -> CqlParser.parse("RESTORE TABLE ks.a ks.b"))
                .isInstanceOf(CqlSyntaxException.class).hasMessageContaining("ks");
        assertThatThrownBy(() -> CqlParser.parse("RESTORE ks.a FROM TABLE ks.b"))
                .isInstanceOf(CqlSyntaxException.class);
        assertThatThrownBy(() -> CqlParser.parse("RESTORE TABLE ks.a FROM ks.b"))
                .isInstanceOf(CqlSyntaxException.class);
        assertThatThrownBy(() -> CqlParser.parse("RESTORE TABLE ks.a FROM TABLE ks.b WITH restore_timestamp = ?"))
                .isInstanceOf(CqlSyntaxException.class).hasMessageContaining("bind variables are not supported");
        assertThatThrownBy(() -> CqlParser.parse("RESTORE TABLE ks.a FROM TABLE ks.b WITH"))
                .isInstanceOf(CqlSyntaxException.class);
    }
}
