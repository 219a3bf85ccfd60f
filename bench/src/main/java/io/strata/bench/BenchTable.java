package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The benchmark table and its rows. The table is {@code (id bigint PRIMARY KEY, name text, city text,
 * score int, payload text)}; a row's content is a pure function of its key, about 100 bytes of column
 * data, so reads can check what they get back without remembering what was written.
 * Immutable and thread-safe.
 */
final class BenchTable {
    private static final String[] CITIES = {"Lisbon", "Oslo", "Nairobi", "Lima", "Osaka", "Perth", "Quito", "Riga"};
    // 64 + 63 characters so that any 64-character window is available without allocation of the source
    private static final String ALPHABET =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
    static final int PAYLOAD_LENGTH = 64;

    private final String keyspace;
    private final String table;

    BenchTable(String keyspace, String table) {
        this.keyspace = requireNonNull(keyspace, "keyspace is null");
        this.table = requireNonNull(table, "table is null");
    }

    /** One row's values, in column order. */
    record Row(long id, String name, String city, int score, String payload) {}

    List<String> schemaStatements() {
        return List.of(
                "CREATE KEYSPACE IF NOT EXISTS " + keyspace
                        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                "CREATE TABLE IF NOT EXISTS " + keyspace + "." + table
                        + " (id bigint PRIMARY KEY, name text, city text, score int, payload text)");
    }

    String insert() {
        return "INSERT INTO " + keyspace + "." + table + " (id, name, city, score, payload) VALUES (?, ?, ?, ?, ?)";
    }

    String select() {
        return "SELECT id, name, city, score, payload FROM " + keyspace + "." + table + " WHERE id = ?";
    }

    static Row row(long id) {
        int window = (int) Math.floorMod(id * 0x9E3779B97F4A7C15L, 64L);
        return new Row(
                id,
                "user-" + id,
                CITIES[(int) Math.floorMod(id, (long) CITIES.length)],
                (int) Math.floorMod(id * 31, 1000L),
                ALPHABET.substring(window, window + PAYLOAD_LENGTH));
    }

    /** Approximate size of a row's column data in bytes (ASCII text, 8-byte id, 4-byte score). */
    static int approximateSize(Row row) {
        return 8 + row.name().length() + row.city().length() + 4 + row.payload().length();
    }
}
