package io.strata.cql.exec.describe;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemTables;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DESCRIBE's CQL, compared character for character with what Cassandra 5.0.9 printed for the same schema. */
class TestSchemaCql {
    private static final String DEFAULT_OPTIONS = "additional_write_policy = '99p'\n"
            + "    AND allow_auto_snapshot = true\n"
            + "    AND bloom_filter_fp_chance = 0.01\n"
            + "    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}\n"
            + "    AND cdc = false\n"
            + "    AND comment = %s\n"
            + "    AND compaction = {'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', "
            + "'max_threshold': '32', 'min_threshold': '4'}\n"
            + "    AND compression = {'chunk_length_in_kb': '16', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}\n"
            + "    AND memtable = 'default'\n"
            + "    AND crc_check_chance = 1.0\n"
            + "    AND default_time_to_live = 0\n"
            + "    AND extensions = {}\n"
            + "    AND gc_grace_seconds = 864000\n"
            + "    AND incremental_backups = true\n"
            + "    AND max_index_interval = 2048\n"
            + "    AND memtable_flush_period_in_ms = 0\n"
            + "    AND min_index_interval = 128\n"
            + "    AND read_repair = 'BLOCKING'\n"
            + "    AND speculative_retry = '99p';";

    private static ColumnMetadata pk(String name, int position) {
        return new ColumnMetadata(name, NativeType.INT, ColumnMetadata.Kind.PARTITION_KEY, position, false);
    }

    private static ColumnMetadata regular(String name, io.strata.cql.types.DataType type) {
        return new ColumnMetadata(name, type, ColumnMetadata.Kind.REGULAR, -1, false);
    }

    private static TableMetadata table(String name, List<ColumnMetadata> columns, Map<String, Object> options) {
        return new TableMetadata("ora", name, UUID.randomUUID(), columns, options);
    }

    @Test
    void aOneColumnKeyIsWrittenInlineWithEveryOptionAndItsDefault() {
        UserType dt = new UserType("ora", "dt", List.of("a"), List.of(NativeType.INT), true);
        TableMetadata d1 = table("d1", List.of(pk("k", 0), regular("v", dt)), Map.of("comment", "c"));
        assertThat(SchemaCql.table(d1, false)).isEqualTo("CREATE TABLE ora.d1 (\n    k int PRIMARY KEY,\n"
                + "    v frozen<dt>\n) WITH " + DEFAULT_OPTIONS.formatted("'c'"));
    }

    @Test
    void clusteringOrderComesFirstAndNamesAreQuotedWhereNeeded() {
        TableMetadata d2 = table("d2", List.of(pk("k", 0),
                new ColumnMetadata("c", NativeType.INT, ColumnMetadata.Kind.CLUSTERING, 0, true)), Map.of());
        assertThat(SchemaCql.table(d2, false)).isEqualTo("CREATE TABLE ora.d2 (\n    k int,\n    c int,\n"
                + "    PRIMARY KEY (k, c)\n) WITH CLUSTERING ORDER BY (c DESC)\n    AND " + DEFAULT_OPTIONS.formatted("''"));
        TableMetadata quoted = new TableMetadata("ora", "Quoted", UUID.randomUUID(),
                List.of(pk("K", 0), regular("select", NativeType.TEXT)), Map.of());
        assertThat(SchemaCql.table(quoted, false)).startsWith("CREATE TABLE ora.\"Quoted\" (\n    \"K\" int PRIMARY KEY,\n"
                + "    \"select\" text\n) WITH additional_write_policy");
    }

    @Test
    void staticsComeFirstAndNonFrozenCollectionsLastAsCassandraOrdersColumns() {
        TableMetadata ord = table("ord", List.of(pk("k", 0),
                new ColumnMetadata("c", NativeType.INT, ColumnMetadata.Kind.CLUSTERING, 0, false),
                regular("a", new CollectionType(CollectionType.Kind.LIST, NativeType.INT, null, false)),
                regular("b", NativeType.INT),
                new ColumnMetadata("s", new CollectionType(CollectionType.Kind.SET, NativeType.INT, null, false),
                        ColumnMetadata.Kind.STATIC, -1, false),
                regular("z", NativeType.INT),
                regular("fl", new CollectionType(CollectionType.Kind.LIST, NativeType.INT, null, true)),
                new ColumnMetadata("st", NativeType.INT, ColumnMetadata.Kind.STATIC, -1, false),
                regular("u", new CollectionType(CollectionType.Kind.MAP, NativeType.INT, NativeType.INT, false))),
                Map.of());
        assertThat(SchemaCql.table(ord, false)).startsWith("CREATE TABLE ora.ord (\n    k int,\n    c int,\n"
                + "    st int static,\n    s set<int> static,\n    b int,\n    fl frozen<list<int>>,\n    z int,\n"
                + "    a list<int>,\n    u map<int, int>,\n    PRIMARY KEY (k, c)\n) WITH CLUSTERING ORDER BY (c ASC)\n");
        // SELECT * has statics first, then regular columns, each by name
        assertThat(ord.columns().stream().map(ColumnMetadata::name).toList())
                .containsExactly("k", "c", "s", "st", "a", "b", "fl", "u", "z");
    }

    @Test
    void givenOptionsAreShownInCassandrasNormalForm() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("additional_write_policy", "MAX(90p,10ms)");
        options.put("compaction", Map.of("class", "org.apache.cassandra.db.compaction.LeveledCompactionStrategy",
                "max_threshold", "32", "min_threshold", "4"));
        options.put("compression", Map.of("enabled", "false"));
        options.put("comment", "it's");
        options.put("custom_properties", Map.of("capacity_mode", Map.of("throughput_mode", "PAY_PER_REQUEST")));
        String cql = SchemaCql.table(table("o", List.of(pk("k", 0)), options), false);
        assertThat(cql).contains("WITH additional_write_policy = 'MAX(90p,10ms)'\n")
                .contains("AND bloom_filter_fp_chance = 0.1\n") // leveled compaction's default
                .contains("AND comment = 'it''s'\n")
                .contains("AND compression = {'enabled': 'false'}\n")
                .doesNotContain("custom_properties").doesNotContain("capacity_mode");
    }

    @Test
    void compositePartitionKeys() {
        TableMetadata t = table("comp", List.of(pk("a", 0), pk("b", 1),
                new ColumnMetadata("c", NativeType.TIMEUUID, ColumnMetadata.Kind.CLUSTERING, 0, true)), Map.of());
        assertThat(SchemaCql.table(t, false)).startsWith("CREATE TABLE ora.comp (\n    a int,\n    b int,\n    c timeuuid,\n"
                + "    PRIMARY KEY ((a, b), c)\n) WITH CLUSTERING ORDER BY (c DESC)\n");
    }

    @Test
    void keyspacesShowTheReplicationDriversSee() {
        assertThat(SchemaCql.keyspace(new KeyspaceMetadata("ora", Map.of("class",
                "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1"), true, Map.of(), Map.of()), false))
                .isEqualTo("CREATE KEYSPACE ora WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}"
                        + "  AND durable_writes = true;");
        assertThat(SchemaCql.keyspace(new KeyspaceMetadata("Ora2", Map.of("class",
                "org.apache.cassandra.locator.NetworkTopologyStrategy", "datacenter1", "1"), false, Map.of(), Map.of()), false))
                .isEqualTo("CREATE KEYSPACE \"Ora2\" WITH replication = {'class': 'NetworkTopologyStrategy', "
                        + "'datacenter1': '1'}  AND durable_writes = false;");
        // Amazon Keyspaces' class is shown as what Strata does, as in system_schema.keyspaces
        assertThat(SchemaCql.keyspace(new KeyspaceMetadata("k", Map.of("class", "SingleRegionStrategy"), true, Map.of(),
                Map.of()), false)).isEqualTo("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', "
                + "'replication_factor': '3'}  AND durable_writes = true;");
    }

    @Test
    void userTypesOneFieldALine() {
        UserType addr = new UserType("Ora2", "Addr", List.of("Street", "zip", "tags"), List.of(NativeType.TEXT,
                NativeType.INT, new CollectionType(CollectionType.Kind.SET, NativeType.TEXT, null, false)), false);
        assertThat(SchemaCql.type(addr)).isEqualTo("CREATE TYPE \"Ora2\".\"Addr\" (\n    \"Street\" text,\n    zip int,\n"
                + "    tags set<text>\n);");
        UserType nest = new UserType("Ora2", "nest", List.of("a", "t"), List.of(
                new UserType("Ora2", "Addr", addr.fieldNames(), addr.fieldTypes(), true),
                new TupleType(List.of(NativeType.INT, NativeType.TEXT))), false);
        assertThat(SchemaCql.type(nest)).isEqualTo("CREATE TYPE \"Ora2\".nest (\n    a frozen<\"Addr\">,\n"
                + "    t frozen<tuple<int, text>>\n);");
    }

    @Test
    void systemTablesWithTheirOwnOptionsAndVirtualTablesAsComments() {
        TableMetadata peers = SystemTables.definition("system", "peers").orElseThrow();
        assertThat(SchemaCql.table(peers, false)).startsWith("CREATE TABLE system.peers (\n    peer inet PRIMARY KEY,\n"
                + "    data_center text,\n    host_id uuid,\n    preferred_ip inet,\n    rack text,\n"
                + "    release_version text,\n    rpc_address inet,\n    schema_version uuid,\n    tokens set<text>\n) WITH ")
                .contains("AND comment = 'information about known peers in the cluster'\n")
                .contains("AND gc_grace_seconds = 0\n").contains("AND memtable_flush_period_in_ms = 3600000\n");
        TableMetadata tables = SystemTables.definition("system_virtual_schema", "tables").orElseThrow();
        assertThat(SchemaCql.table(tables, true)).isEqualTo("/*\nWarning: Table system_virtual_schema.tables is a virtual "
                + "table and cannot be recreated with CQL.\nStructure, for reference:\nVIRTUAL TABLE "
                + "system_virtual_schema.tables (\n    keyspace_name text,\n    table_name text,\n    comment text,\n"
                + "    PRIMARY KEY (keyspace_name, table_name)\n) WITH CLUSTERING ORDER BY (table_name ASC)\n"
                + "    AND comment = 'virtual table definitions';\n*/");
        assertThat(SchemaCql.keyspace(SystemTables.keyspaces().get("system_virtual_schema"), true)).isEqualTo(
                "/*\nWarning: Keyspace system_virtual_schema is a virtual keyspace and cannot be recreated with CQL.\n"
                        + "Structure, for reference:\nVIRTUAL KEYSPACE system_virtual_schema;\n*/");
    }
}
