package io.strata.cql.parse;

import static io.strata.cql.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.strata.cql.ast.AlterKeyspace;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.AlterType;
import io.strata.cql.ast.ColumnDefinition;
import io.strata.cql.ast.CreateIndex;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateMaterializedView;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.CreateType;
import io.strata.cql.ast.Describe;
import io.strata.cql.ast.DropIndex;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.DropType;
import io.strata.cql.ast.FieldDefinition;
import io.strata.cql.ast.PropertyNumber;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Truncate;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.ast.Use;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class TestCqlParserSchema {

    private static final TypeRef INT = new TypeRef.Native("int");
    private static final TypeRef TEXT = new TypeRef.Native("text");

    @Test
    void createKeyspaceWithProperties() {
        CreateKeyspace create = parse("CREATE KEYSPACE IF NOT EXISTS \"MyKs\" WITH replication = "
                + "{'class': 'SimpleStrategy', 'replication_factor': 3} AND DURABLE_WRITES = false", CreateKeyspace.class);
        assertThat(create.name()).isEqualTo("MyKs");
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.properties()).containsExactly(
                entry("replication", Map.of("class", "SimpleStrategy", "replication_factor", new PropertyNumber("3"))),
                entry("durable_writes", false));
    }

    @Test
    void createSchemaIsASynonym() {
        assertThat(parse("CREATE SCHEMA ks WITH replication = {'class': 'SingleRegionStrategy'}", CreateKeyspace.class)
                .name()).isEqualTo("ks");
    }

    @Test
    void propertyValueKinds() {
        CreateKeyspace create = parse("CREATE KEYSPACE ks WITH a = 'str' AND b = 12 AND c = -1.5e3 AND d = true "
                + "AND e = keys AND f = {} AND g = {'n': {'m': 1, 'b': true}} AND h = NaN AND i = 1h", CreateKeyspace.class);
        assertThat(create.properties()).containsExactly(
                entry("a", "str"),
                entry("b", new PropertyNumber("12")),
                entry("c", new PropertyNumber("-1.5e3")),
                entry("d", true),
                entry("e", "keys"),
                entry("f", Map.of()),
                entry("g", Map.of("n", Map.of("m", new PropertyNumber("1"), "b", true))),
                entry("h", new PropertyNumber("NaN")),
                entry("i", "1h"));
        assertThat(((PropertyNumber) create.properties().get("c")).doubleValue()).isEqualTo(-1500.0);
    }

    @Test
    void keyspacesCustomPropertiesAndTagsAreOrdinaryMaps() {
        CreateTable create = parse("CREATE TABLE ks.t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = "
                + "{'capacity_mode': {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 10}, "
                + "'point_in_time_recovery': {'status': 'enabled'}} AND TAGS = {'env': 'prod'}", CreateTable.class);
        assertThat(create.properties()).containsOnlyKeys("custom_properties", "tags");
        assertThat(create.properties().get("custom_properties")).isEqualTo(Map.of(
                "capacity_mode", Map.of("throughput_mode", "PROVISIONED", "read_capacity_units", new PropertyNumber("10")),
                "point_in_time_recovery", Map.of("status", "enabled")));
        assertThat(create.properties().get("tags")).isEqualTo(Map.of("env", "prod"));
    }

    @Test
    void duplicatePropertyIsAnError() {
        assertThatThrownBy(() -> CqlParser.parse("CREATE KEYSPACE ks WITH a = 1 AND A = 2"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:34 multiple definition for property a");
    }

    @Test
    void bindMarkersAreNotAllowedInDdl() {
        assertThatThrownBy(() -> CqlParser.parse("CREATE KEYSPACE ks WITH replication = {'class': ?}"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:48 bind variables are not supported in DDL queries");
        assertThatThrownBy(() -> CqlParser.parse("DROP TABLE ?"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:11 bind variables cannot be used for keyspace or table names");
    }

    @Test
    void alterAndDropKeyspace() {
        AlterKeyspace alter = parse("ALTER KEYSPACE ks WITH durable_writes = true", AlterKeyspace.class);
        assertThat(alter.name()).isEqualTo("ks");
        assertThat(alter.properties()).containsExactly(entry("durable_writes", true));
        assertThat(parse("DROP KEYSPACE IF EXISTS ks", DropKeyspace.class)).isEqualTo(new DropKeyspace("ks", true));
        assertThat(parse("DROP SCHEMA ks", DropKeyspace.class)).isEqualTo(new DropKeyspace("ks", false));
    }

    @Test
    void createTableWithCompositeKeyAndOptions() {
        CreateTable create = parse("""
                CREATE TABLE IF NOT EXISTS ks.events (
                    tenant text,
                    day date,
                    ts timeuuid,
                    seq int,
                    payload blob,
                    owner text STATIC,
                    PRIMARY KEY ((tenant, day), ts, seq)
                ) WITH CLUSTERING ORDER BY (ts DESC, seq ASC)
                  AND comment = 'events'
                  AND compaction = {'class': 'LeveledCompactionStrategy'}
                  AND COMPACT STORAGE
                """, CreateTable.class);
        assertThat(create.name()).isEqualTo(new QualifiedName("ks", "events"));
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.columns()).containsExactly(
                new ColumnDefinition("tenant", TEXT, false),
                new ColumnDefinition("day", new TypeRef.Native("date"), false),
                new ColumnDefinition("ts", new TypeRef.Native("timeuuid"), false),
                new ColumnDefinition("seq", INT, false),
                new ColumnDefinition("payload", new TypeRef.Native("blob"), false),
                new ColumnDefinition("owner", TEXT, true));
        assertThat(create.partitionKey()).containsExactly("tenant", "day");
        assertThat(create.clusteringColumns()).containsExactly("ts", "seq");
        assertThat(create.clusteringOrderDescending()).containsExactly(entry("ts", true), entry("seq", false));
        assertThat(create.properties()).containsExactly(
                entry("comment", "events"), entry("compaction", Map.of("class", "LeveledCompactionStrategy")));
        assertThat(create.compactStorage()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE t (k int PRIMARY KEY, v text)|k|",
            "CREATE TABLE t (k int, v text, PRIMARY KEY (k))|k|",
            "CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))|k|c",
            "CREATE TABLE t (a int, b int, c int, PRIMARY KEY ((a, b), c))|a b|c",
            "CREATE TABLE t (a int, b int, PRIMARY KEY ((a), b),)|a|b",
            "create columnfamily t (key text primary key, value text)|key|",
    })
    void primaryKeyForms(String cql, String partitionKey, String clustering) {
        CreateTable create = parse(cql, CreateTable.class);
        assertThat(create.partitionKey()).containsExactly(partitionKey.split(" "));
        assertThat(create.clusteringColumns())
                .containsExactly(clustering == null ? new String[0] : clustering.split(" "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE t (k int PRIMARY KEY) WITH CLUSTERING ORDER BY (c)|line 1:62 no viable alternative at input ')'",
            "CREATE TABLE t ()|line 1:16 no viable alternative at input ')'",
    })
    void invalidTables(String cql, String messageStart) {
        assertThatThrownBy(() -> CqlParser.parse(cql))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith(messageStart);
    }

    /** As in Cassandra, these parse; the statement is then an invalid request, not a syntax error. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CREATE TABLE t (k int PRIMARY KEY, v int PRIMARY KEY)|Multiple PRIMARY KEY specified for table 't'",
            "CREATE TABLE t (k int PRIMARY KEY, PRIMARY KEY (k))|Multiple PRIMARY KEY specified for table 't'",
    })
    void multiplePrimaryKeysAreInvalidRequests(String cql, String messageStart) {
        assertThatThrownBy(() -> CqlParser.parse(cql))
                .isInstanceOf(io.strata.cql.types.InvalidValueException.class)
                .hasMessageStartingWith(messageStart);
    }

    @Test
    void aTableWithoutPrimaryKeyParsesForTheDdlToReject() {
        assertThat(parse("CREATE TABLE t (k int, v int)", CreateTable.class).partitionKey()).isEmpty();
    }

    @Test
    void types() {
        CreateTable create = parse("CREATE TABLE t (k int PRIMARY KEY, a list<int>, b set<text>, c map<text, frozen<list<int>>>, "
                + "d frozen<addr>, e ks.addr, f tuple<int, text, frozen<set<uuid>>>, g 'org.example.MyType', "
                + "h counter, i VARCHAR, j vector<float, 3>, k2 frozen<map<text,frozen<tuple<int,int>>>>, "
                + "\"Udt\" \"MyType\", m duration, n time, o timestamp, p inet, q varint, r decimal, "
                + "s smallint, t2 tinyint, u ascii, v bigint, w double, x boolean)", CreateTable.class);
        assertThat(create.columns()).extracting(ColumnDefinition::type).containsExactly(
                INT,
                new TypeRef.Collection(TypeRef.Collection.Kind.LIST, List.of(INT)),
                new TypeRef.Collection(TypeRef.Collection.Kind.SET, List.of(TEXT)),
                new TypeRef.Collection(TypeRef.Collection.Kind.MAP, List.of(TEXT,
                        new TypeRef.Frozen(new TypeRef.Collection(TypeRef.Collection.Kind.LIST, List.of(INT))))),
                new TypeRef.Frozen(new TypeRef.UserType(QualifiedName.of("addr"))),
                new TypeRef.UserType(new QualifiedName("ks", "addr")),
                new TypeRef.Tuple(List.of(INT, TEXT, new TypeRef.Frozen(
                        new TypeRef.Collection(TypeRef.Collection.Kind.SET, List.of(new TypeRef.Native("uuid")))))),
                new TypeRef.Custom("org.example.MyType"),
                new TypeRef.Native("counter"),
                new TypeRef.Native("varchar"),
                new TypeRef.Vector(new TypeRef.Native("float"), 3),
                new TypeRef.Frozen(new TypeRef.Collection(TypeRef.Collection.Kind.MAP, List.of(TEXT,
                        new TypeRef.Frozen(new TypeRef.Tuple(List.of(INT, INT)))))),
                new TypeRef.UserType(QualifiedName.of("MyType")),
                new TypeRef.Native("duration"), new TypeRef.Native("time"), new TypeRef.Native("timestamp"),
                new TypeRef.Native("inet"), new TypeRef.Native("varint"), new TypeRef.Native("decimal"),
                new TypeRef.Native("smallint"), new TypeRef.Native("tinyint"), new TypeRef.Native("ascii"),
                new TypeRef.Native("bigint"), new TypeRef.Native("double"), new TypeRef.Native("boolean"));
    }

    @Test
    void alterTableActions() {
        assertThat(parse("ALTER TABLE ks.t ADD c int", AlterTable.class)).isEqualTo(new AlterTable(
                new QualifiedName("ks", "t"), new AlterTable.AddColumns(List.of(new ColumnDefinition("c", INT, false)))));
        assertThat(parse("ALTER TABLE t ADD (c int, s text static)", AlterTable.class).action()).isEqualTo(
                new AlterTable.AddColumns(List.of(new ColumnDefinition("c", INT, false),
                        new ColumnDefinition("s", TEXT, true))));
        assertThat(parse("ALTER TABLE t DROP c", AlterTable.class).action())
                .isEqualTo(new AlterTable.DropColumns(List.of("c")));
        assertThat(parse("ALTER TABLE t DROP (c, \"D\")", AlterTable.class).action())
                .isEqualTo(new AlterTable.DropColumns(List.of("c", "D")));
        AlterTable.RenameColumns rename = (AlterTable.RenameColumns)
                parse("ALTER TABLE t RENAME a TO b AND c TO d", AlterTable.class).action();
        assertThat(rename.renames()).containsExactly(entry("a", "b"), entry("c", "d"));
        assertThat(parse("ALTER COLUMNFAMILY t WITH comment = 'x' AND default_time_to_live = 10", AlterTable.class)
                .action()).isEqualTo(new AlterTable.WithProperties(
                        Map.of("comment", "x", "default_time_to_live", new PropertyNumber("10"))));
    }

    @Test
    void alterColumnTypeIsRefused() {
        // Cassandra 4 parses it and refuses it as an invalid request
        assertThatThrownBy(() -> CqlParser.parse("ALTER TABLE t ALTER c TYPE text"))
                .isInstanceOf(io.strata.cql.types.InvalidValueException.class)
                .hasMessage("Altering column types is no longer supported");
    }

    @Test
    void dropTableAndTruncate() {
        assertThat(parse("DROP TABLE IF EXISTS ks.t", DropTable.class))
                .isEqualTo(new DropTable(new QualifiedName("ks", "t"), true));
        assertThat(parse("DROP COLUMNFAMILY t", DropTable.class)).isEqualTo(new DropTable(QualifiedName.of("t"), false));
        assertThat(parse("TRUNCATE ks.t", Truncate.class)).isEqualTo(new Truncate(new QualifiedName("ks", "t")));
        assertThat(parse("TRUNCATE TABLE t", Truncate.class)).isEqualTo(new Truncate(QualifiedName.of("t")));
    }

    @Test
    void use() {
        assertThat(parse("USE ks", Use.class)).isEqualTo(new Use("ks"));
        assertThat(parse("use \"MyKs\";", Use.class)).isEqualTo(new Use("MyKs"));
    }

    @Test
    void userTypes() {
        CreateType create = parse("CREATE TYPE IF NOT EXISTS ks.address (street text, zip int, \"Geo\" frozen<tuple<double, double>>,)",
                CreateType.class);
        assertThat(create.name()).isEqualTo(new QualifiedName("ks", "address"));
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.fields()).containsExactly(
                new FieldDefinition("street", TEXT),
                new FieldDefinition("zip", INT),
                new FieldDefinition("Geo", new TypeRef.Frozen(new TypeRef.Tuple(
                        List.of(new TypeRef.Native("double"), new TypeRef.Native("double"))))));
        assertThat(parse("ALTER TYPE address ADD country text", AlterType.class).action())
                .isEqualTo(new AlterType.AddField(new FieldDefinition("country", TEXT)));
        AlterType.RenameFields rename = (AlterType.RenameFields)
                parse("ALTER TYPE ks.address RENAME zip TO postcode AND street TO line1", AlterType.class).action();
        assertThat(rename.renames()).containsExactly(entry("zip", "postcode"), entry("street", "line1"));
        assertThat(parse("DROP TYPE IF EXISTS ks.address", DropType.class))
                .isEqualTo(new DropType(new QualifiedName("ks", "address"), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TYPE int (a int)", "CREATE TYPE byte (a int)", "CREATE TYPE ks.list (a int)"})
    void reservedTypeNamesAreRefused(String cql) {
        assertThatThrownBy(() -> CqlParser.parse(cql))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageContaining("invalid (reserved) user type name");
    }

    @Test
    void indexes() {
        CreateIndex index = parse("CREATE INDEX IF NOT EXISTS by_v ON ks.t (v)", CreateIndex.class);
        assertThat(index).isEqualTo(new CreateIndex("by_v", new QualifiedName("ks", "t"), true, "v",
                CreateIndex.TargetKind.SIMPLE, null, Map.of()));
        CreateIndex keys = parse("CREATE INDEX ON t (KEYS(m))", CreateIndex.class);
        assertThat(keys.indexName()).isNull();
        assertThat(keys.targetKind()).isEqualTo(CreateIndex.TargetKind.KEYS);
        assertThat(keys.target()).isEqualTo("m");
        CreateIndex custom = parse("CREATE CUSTOM INDEX ON t (v) USING 'StorageAttachedIndex' WITH OPTIONS = {'a': 'b'}",
                CreateIndex.class);
        assertThat(custom.customClass()).isEqualTo("StorageAttachedIndex");
        assertThat(custom.properties()).containsExactly(entry("options", Map.of("a", "b")));
        assertThat(parse("DROP INDEX IF EXISTS ks.by_v", DropIndex.class))
                .isEqualTo(new DropIndex(new QualifiedName("ks", "by_v"), true));
    }

    @Test
    void createMaterializedViewKeepsNamesKeyAndOptions() {
        CreateMaterializedView v = parse("CREATE MATERIALIZED VIEW IF NOT EXISTS ks.by_v AS SELECT k, \"V\" FROM ks.t "
                + "WHERE k IS NOT NULL AND (\"V\") > (1) PRIMARY KEY ((\"V\"), k) WITH CLUSTERING ORDER BY (k DESC) "
                + "AND comment = 'x'", CreateMaterializedView.class);
        assertThat(v).isEqualTo(new CreateMaterializedView(new QualifiedName("ks", "by_v"), true,
                new QualifiedName("ks", "t"), List.of("V"), List.of("k"), Map.of("k", true), Map.of("comment", "x")));
        assertThat(parse("CREATE MATERIALIZED VIEW v AS SELECT * FROM t PRIMARY KEY (a, b)", CreateMaterializedView.class))
                .isEqualTo(new CreateMaterializedView(new QualifiedName(null, "v"), false, new QualifiedName(null, "t"),
                        List.of("a"), List.of("b"), Map.of(), Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "DESCRIBE KEYSPACES|KEYSPACES|",
            "DESC keyspaces;|KEYSPACES|",
            "DESCRIBE KEYSPACE|KEYSPACE|",
            "DESCRIBE KEYSPACE ks|KEYSPACE|ks",
            "DESCRIBE ONLY KEYSPACE ks|ONLY_KEYSPACE|ks",
            "DESC ONLY KEYSPACE|ONLY_KEYSPACE|",
            "DESCRIBE only|NAME|only",
            "DESCRIBE TABLES|TABLES|",
            "DESCRIBE TABLE ks.t|TABLE|ks.t",
            "DESC COLUMNFAMILY t|TABLE|t",
            "DESCRIBE TYPES|TYPES|",
            "DESCRIBE TYPE ks.addr|TYPE|ks.addr",
            "DESCRIBE SCHEMA|SCHEMA|",
            "DESCRIBE FULL SCHEMA|FULL_SCHEMA|",
            "DESCRIBE CLUSTER|CLUSTER|",
            "DESCRIBE ks.t|NAME|ks.t",
            "DESCRIBE \"MyTable\"|NAME|MyTable",
            "DESCRIBE type|NAME|type",
            "DESCRIBE cluster.t|NAME|cluster.t",
    })
    void describe(String cql, Describe.Kind kind, String target) {
        Describe describe = parse(cql, Describe.class);
        assertThat(describe.kind()).isEqualTo(kind);
        assertThat(describe.target() == null ? null : describe.target().toString()).isEqualTo(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DESCRIBE FUNCTIONS", "DESCRIBE INDEX ks.i", "DESCRIBE MATERIALIZED VIEW v",
            "DESCRIBE ONLY TABLE t"})
    void unsupportedDescribeForms(String cql) {
        assertThatThrownBy(() -> CqlParser.parse(cql))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith("line 1:9 no viable alternative")
                .hasMessageEndingWith("is not supported");
    }
}
