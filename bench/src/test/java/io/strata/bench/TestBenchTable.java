package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class TestBenchTable {
    @Test
    void rowsAreAPureFunctionOfTheKeyAndAboutAHundredBytes() {
        for (long id : new long[] {0, 1, 7, 99_999, Long.MAX_VALUE, -5}) {
            BenchTable.Row row = BenchTable.row(id);
            assertThat(BenchTable.row(id)).isEqualTo(row);
            assertThat(row.id()).isEqualTo(id);
            assertThat(row.name()).isEqualTo("user-" + id);
            assertThat(row.payload()).hasSize(BenchTable.PAYLOAD_LENGTH);
            assertThat(row.score()).isBetween(0, 999);
            assertThat(BenchTable.approximateSize(row)).isBetween(80, 120);
        }
        assertThat(BenchTable.row(1).payload()).isNotEqualTo(BenchTable.row(2).payload());
    }

    @Test
    void statementsNameTheConfiguredTable() {
        BenchTable table = new BenchTable("ks", "kv");

        assertThat(table.schemaStatements()).containsExactly(
                "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                "CREATE TABLE IF NOT EXISTS ks.kv (id bigint PRIMARY KEY, name text, city text, score int, payload text)");
        assertThat(table.insert()).isEqualTo("INSERT INTO ks.kv (id, name, city, score, payload) VALUES (?, ?, ?, ?, ?)");
        assertThat(table.select()).isEqualTo("SELECT id, name, city, score, payload FROM ks.kv WHERE id = ?");
    }
}
