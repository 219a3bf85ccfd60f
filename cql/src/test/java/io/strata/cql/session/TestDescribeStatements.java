package io.strata.cql.session;

import static io.strata.cql.testing.CqlFixture.columnNames;
import static io.strata.cql.testing.CqlFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.testing.CqlFixture;
import io.strata.cql.types.NativeType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESCRIBE's statements over the whole request path: which elements each form describes, in which order,
 * and that Cassandra 5.0.9's DESCRIBE output of a table loads and is described back identically.
 */
class TestDescribeStatements {
    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    @BeforeEach
    void setUp() {
        db.ok("CREATE TYPE \"Zed\" (a int)");
        db.ok("CREATE TYPE addr (street text)");
        db.ok("CREATE TABLE b (k int PRIMARY KEY)");
        db.ok("CREATE TABLE \"A\" (k int PRIMARY KEY)");
        db.ok("CREATE KEYSPACE other WITH replication = {'class': 'SingleRegionStrategy'}");
    }


    private List<List<String>> text(String cql) {
        var m = db.run(cql);
        NativeType[] types = new NativeType[columnNames(m).size()];
        Arrays.fill(types, NativeType.TEXT);
        return rows(m, types).stream()
                .map(r -> r.stream().map(v -> v.substring(1, v.length() - 1).replace("''", "'")).toList())
                .toList();
    }

    private static List<String> elements(List<List<String>> rows) {
        return rows.stream().map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList();
    }

    @Test
    void describeKeyspaceListsTypesThenTablesByNameIgnoringCase() {
        assertThat(elements(text("DESCRIBE KEYSPACE ks"))).containsExactly("ks keyspace ks", "ks type addr",
                "ks type \"Zed\"", "ks table \"A\"", "ks table b");
        assertThat(elements(text("DESCRIBE ONLY KEYSPACE"))).containsExactly("ks keyspace ks");
    }

    @Test
    void schemaHasTheTenantsKeyspacesAndFullSchemaTheSystemOnesToo() {
        List<String> schema = elements(text("DESCRIBE SCHEMA"));
        assertThat(schema).startsWith("ks keyspace ks").contains("other keyspace other")
                .noneMatch(e -> e.startsWith("system"));
        List<String> full = elements(text("DESCRIBE FULL SCHEMA"));
        assertThat(full).contains("ks keyspace ks", "system keyspace system", "system table local",
                "system_schema table tables", "system_virtual_schema keyspace system_virtual_schema",
                "system_virtual_schema table columns");
        assertThat(full.indexOf("other keyspace other")).isLessThan(full.indexOf("system keyspace system"));
    }

    @Test
    void keyspacesListsTheSystemKeyspacesToo() {
        assertThat(elements(text("DESCRIBE KEYSPACES"))).contains("ks keyspace ks", "other keyspace other",
                "system keyspace system", "system_schema keyspace system_schema",
                "system_virtual_schema keyspace system_virtual_schema");
    }

    @Test
    void tablesOfEveryKeyspaceWithoutOneInUse() {
        db.session.keyspace(null);
        assertThat(elements(text("DESCRIBE TABLES"))).contains("ks table \"A\"", "ks table b", "system table peers_v2");
    }

    @Test
    void aBareNameIsAKeyspaceThenATable() {
        assertThat(elements(text("DESCRIBE other"))).containsExactly("other keyspace other");
        assertThat(text("DESCRIBE other").get(0).get(3)).isEqualTo("CREATE KEYSPACE other WITH replication = "
                + "{'class': 'SimpleStrategy', 'replication_factor': '3'}  AND durable_writes = true;");
        assertThat(elements(text("DESCRIBE \"A\""))).containsExactly("ks table \"A\"");
        assertThat(db.invalid("DESCRIBE nope")).isEqualTo("'nope' not found in keyspace 'ks'");
        assertThat(db.invalid("DESCRIBE KEYSPACE nope")).isEqualTo("'nope' not found in keyspaces");
    }

    @Test
    void clusterFromASystemKeyspaceHasNoRangeOwnership() {
        db.session.keyspace("system");
        var m = db.run("DESCRIBE CLUSTER");
        assertThat(columnNames(m)).containsExactly("cluster", "partitioner", "snitch");
        assertThat(rows(m, NativeType.TEXT, NativeType.TEXT, NativeType.TEXT).get(0))
                .containsExactly("'Test'", "'Murmur3Partitioner'", "'DynamicEndpointSnitch'");
    }

    @Test
    void whatCassandraDescribesLoadsAndIsDescribedIdentically() {
        // DESCRIBE TABLE of Cassandra 5.0.9 for this table, keyspace renamed
        String cassandra = """
                CREATE TABLE ks.pasted (
                    k text,
                    day date,
                    s int static,
                    v int,
                    hits set<int>,
                    PRIMARY KEY (k, day)
                ) WITH CLUSTERING ORDER BY (day DESC)
                    AND additional_write_policy = '99p'
                    AND allow_auto_snapshot = true
                    AND bloom_filter_fp_chance = 0.1
                    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}
                    AND cdc = false
                    AND comment = ''
                    AND compaction = {'class': 'org.apache.cassandra.db.compaction.LeveledCompactionStrategy', \
                'max_threshold': '32', 'min_threshold': '4', 'sstable_size_in_mb': '160'}
                    AND compression = {'chunk_length_in_kb': '16', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}
                    AND memtable = 'default'
                    AND crc_check_chance = 1.0
                    AND default_time_to_live = 0
                    AND extensions = {}
                    AND gc_grace_seconds = 864000
                    AND incremental_backups = true
                    AND max_index_interval = 2048
                    AND memtable_flush_period_in_ms = 0
                    AND min_index_interval = 128
                    AND read_repair = 'NONE'
                    AND speculative_retry = '99p';""";
        db.ok(cassandra);
        assertThat(text("DESCRIBE TABLE pasted").get(0).get(3)).isEqualTo(cassandra);
    }
}
