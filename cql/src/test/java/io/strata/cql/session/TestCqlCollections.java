package io.strata.cql.session;

import io.strata.cql.testing.CqlFixture;
import static io.strata.cql.testing.CqlFixture.row;
import static io.strata.cql.testing.CqlFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.response.result.Prepared;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import io.strata.cql.types.Values;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Collections, tuples and UDTs end to end through the request handler and the local engine. */
class TestCqlCollections {
    static final DataType INT = NativeType.INT;
    static final DataType TEXT = NativeType.TEXT;
    static final DataType LIST_INT = new CollectionType(CollectionType.Kind.LIST, INT, null, false);
    static final DataType SET_INT = new CollectionType(CollectionType.Kind.SET, INT, null, false);
    static final DataType MAP_TEXT_INT = new CollectionType(CollectionType.Kind.MAP, TEXT, INT, false);

    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    @BeforeEach
    void setUp() {
        db.ok("CREATE TABLE c (k int PRIMARY KEY, l list<int>, s set<int>, m map<text, int>, "
                + "fl frozen<list<int>>, fs frozen<set<int>>)");
    }


    private List<List<String>> select(String columns, int k, DataType... types) {
        return rows(db.run("SELECT " + columns + " FROM c WHERE k = " + k), types);
    }

    @Test
    void literalsAreWrittenAsElementsAndReadBackInTypeOrder() {
        db.ok("INSERT INTO c (k, l, s, m, fl, fs) VALUES (1, [3, 1, 3], {3, -1, 2, 2}, {'b': 2, 'a': 1}, [5, 4], {9, -9})");
        assertThat(select("l, s, m, fl, fs", 1, LIST_INT, SET_INT, MAP_TEXT_INT, LIST_INT, SET_INT))
                .containsExactly(row("[3, 1, 3]", "{-1, 2, 3}", "{'a': 1, 'b': 2}", "[5, 4]", "{-9, 9}"));
        // Overwriting replaces the whole collection; an empty literal reads back as null.
        db.ok("UPDATE c SET l = [7], s = {}, m = {} WHERE k = 1");
        assertThat(select("l, s, m", 1, LIST_INT, SET_INT, MAP_TEXT_INT)).containsExactly(row("[7]", null, null));
    }

    @Test
    void updateOperations() {
        db.ok("INSERT INTO c (k, l, s, m) VALUES (1, [1, 2], {1}, {'a': 1})");
        db.ok("UPDATE c SET l = l + [3, 4], s = s + {5, 0}, m = m + {'c': 3} WHERE k = 1");
        db.ok("UPDATE c SET l = [-1, 0] + l WHERE k = 1");
        db.ok("UPDATE c SET l = [-2] + l WHERE k = 1");
        assertThat(select("l, s, m", 1, LIST_INT, SET_INT, MAP_TEXT_INT))
                .containsExactly(row("[-2, -1, 0, 1, 2, 3, 4]", "{0, 1, 5}", "{'a': 1, 'c': 3}"));
        db.ok("UPDATE c SET l = l - [0, 3], s = s - {1}, m = m - {'a'} WHERE k = 1");
        db.ok("UPDATE c SET m['z'] = 26, l[0] = 100 WHERE k = 1");
        assertThat(select("l, s, m", 1, LIST_INT, SET_INT, MAP_TEXT_INT))
                .containsExactly(row("[100, -1, 1, 2, 4]", "{0, 5}", "{'c': 3, 'z': 26}"));
        db.ok("DELETE m['c'], l[1], s FROM c WHERE k = 1");
        assertThat(select("l, s, m", 1, LIST_INT, SET_INT, MAP_TEXT_INT))
                .containsExactly(row("[100, 1, 2, 4]", null, "{'z': 26}"));
        assertThat(db.invalid("UPDATE c SET l[9] = 1 WHERE k = 1")).isEqualTo("List index 9 out of bound, list has size 4");
        assertThat(db.invalid("UPDATE c SET l[0] = 1 WHERE k = 2")).isEqualTo("Attempted to set an element on a list which is null");
        assertThat(db.invalid("UPDATE c SET fl = fl + [1] WHERE k = 1"))
                .isEqualTo("Invalid operation (fl = fl + <value>) for frozen collection column fl");
        assertThat(db.invalid("UPDATE c SET s[1] = 1 WHERE k = 1")).contains("for set column s");
    }

    @Test
    void nullsInsideCollectionsAreRejected() {
        assertThat(db.invalid("INSERT INTO c (k, l) VALUES (1, [1, null])")).isEqualTo("null is not supported inside collections");
        assertThat(db.invalid("INSERT INTO c (k, s) VALUES (1, {'x'})")).contains("Invalid STRING constant (x)");
        assertThat(db.invalid("INSERT INTO c (k, l) VALUES (1, {1, 2})")).contains("Invalid set literal for l");
    }

    @Test
    void boundCollectionsAreValidatedAndCanonicalised() {
        Prepared p = db.prepare("INSERT INTO c (k, s, fs, m) VALUES (?, ?, ?, ?)");
        byte[] set = CollectionCodec.list(List.of(Values.ofInt(3), Values.ofInt(1), Values.ofInt(3)));
        java.util.Map<byte[], byte[]> map = new java.util.LinkedHashMap<>();
        map.put(Values.ofText("y"), Values.ofInt(2));
        map.put(Values.ofText("x"), Values.ofInt(1));
        db.execute(p, List.of(ByteBuffer.wrap(Values.ofInt(1)), ByteBuffer.wrap(set), ByteBuffer.wrap(set),
                ByteBuffer.wrap(CollectionCodec.map(map))));
        assertThat(select("s, fs, m", 1, SET_INT, SET_INT, MAP_TEXT_INT)).containsExactly(row("{1, 3}", "{1, 3}", "{'x': 1, 'y': 2}"));
        Prepared append = db.prepare("UPDATE c SET l = l + [?, ?] WHERE k = ?");
        db.execute(append, List.of(ByteBuffer.wrap(Values.ofInt(8)), ByteBuffer.wrap(Values.ofInt(9)),
                ByteBuffer.wrap(Values.ofInt(1))));
        assertThat(select("l", 1, LIST_INT)).containsExactly(row("[8, 9]"));
        byte[] bad = CollectionCodec.list(List.of(new byte[] {1, 2}));
        assertThat(db.execute(p, List.of(ByteBuffer.wrap(Values.ofInt(2)), ByteBuffer.wrap(bad), ByteBuffer.wrap(set),
                ByteBuffer.wrap(CollectionCodec.map(map))))).isInstanceOf(com.datastax.oss.protocol.internal.response.Error.class);
    }

    @Test
    void tuplesAndUserTypes() {
        db.ok("CREATE TYPE addr (street text, zip int)");
        db.ok("CREATE TABLE u (k int PRIMARY KEY, a addr, fa frozen<addr>, t tuple<int, text>)");
        db.ok("INSERT INTO u (k, a, fa, t) VALUES (1, {street: 'Main', zip: 1}, {zip: 2}, (3, 'x'))");
        UserType addr = new UserType("ks", "addr", List.of("street", "zip"), List.of(TEXT, INT), false);
        DataType tuple = new TupleType(List.of(INT, TEXT));
        assertThat(rows(db.run("SELECT a, fa, t FROM u WHERE k = 1"), addr, addr, tuple))
                .containsExactly(row("{street: 'Main', zip: 1}", "{street: null, zip: 2}", "(3, 'x')"));
        db.ok("UPDATE u SET a.zip = 9 WHERE k = 1");
        db.ok("DELETE a.street FROM u WHERE k = 1");
        assertThat(rows(db.run("SELECT a FROM u WHERE k = 1"), addr)).containsExactly(row("{street: null, zip: 9}"));
        assertThat(db.invalid("UPDATE u SET fa.zip = 1 WHERE k = 1")).contains("frozen UDT column fa");
        assertThat(db.invalid("INSERT INTO u (k, a) VALUES (2, {nope: 1})")).isEqualTo("Unknown field 'nope' in value of user defined type addr");

        db.ok("ALTER TYPE addr ADD city text");
        UserType addr3 = new UserType("ks", "addr", List.of("street", "zip", "city"), List.of(TEXT, INT, TEXT), false);
        db.ok("UPDATE u SET a.city = 'Oslo' WHERE k = 1");
        assertThat(rows(db.run("SELECT a FROM u WHERE k = 1"), addr3)).containsExactly(row("{street: null, zip: 9, city: 'Oslo'}"));
        assertThat(rows(db.run("SELECT type_name, field_names FROM system_schema.types WHERE keyspace_name = 'ks'"),
                TEXT, new CollectionType(CollectionType.Kind.LIST, TEXT, null, true)))
                .containsExactly(row("'addr'", "['street', 'zip', 'city']"));
        assertThat(db.invalid("DROP TYPE addr")).isEqualTo("Cannot drop user type ks.addr as it is still used by table ks.u");
        db.ok("DROP TABLE u");
        db.ok("DROP TYPE addr");
        assertThat(db.run("CREATE TYPE IF NOT EXISTS addr (x int)")).isNotInstanceOf(com.datastax.oss.protocol.internal.response.Error.class);
    }
}
