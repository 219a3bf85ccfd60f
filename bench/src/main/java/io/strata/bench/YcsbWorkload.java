package io.strata.bench;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * YCSB's core workload over CQL: the table {@code usertable (y_id text PRIMARY KEY, field0 text, ...)}, its
 * statements (as YCSB's cassandra-cql binding sends them), and per-client generators of what to do next.
 */
final class YcsbWorkload {
    private YcsbWorkload() {}

    /** What one operation does: its kind, the record number it touches, the field it updates (-1: all). */
    record Choice(LoadRunner.Kind kind, long keyNumber, int field) {}

    /** The table and its statements' text. Immutable. */
    record Table(String keyspace, String table, int fields) {
        List<String> schemaStatements() {
            return List.of(
                    "CREATE KEYSPACE IF NOT EXISTS " + keyspace
                            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                    "CREATE TABLE IF NOT EXISTS " + keyspace + "." + table + " (y_id text PRIMARY KEY, "
                            + fieldNames().stream().map(f -> f + " text").collect(Collectors.joining(", ")) + ")");
        }

        List<String> fieldNames() {
            return IntStream.range(0, fields).mapToObj(i -> "field" + i).toList();
        }

        String insert() {
            return "INSERT INTO " + keyspace + "." + table + " (y_id, " + String.join(", ", fieldNames())
                    + ") VALUES (?" + ", ?".repeat(fields) + ")";
        }

        String read() {
            return "SELECT * FROM " + keyspace + "." + table + " WHERE y_id = ?";
        }

        String updateAll() {
            return "UPDATE " + keyspace + "." + table + " SET "
                    + fieldNames().stream().map(f -> f + " = ?").collect(Collectors.joining(", ")) + " WHERE y_id = ?";
        }

        String updateOne(int field) {
            return "UPDATE " + keyspace + "." + table + " SET field" + field + " = ? WHERE y_id = ?";
        }
    }

    /**
     * One client's generators: the operation mix, the key chooser, field values. The load preset inserts
     * record {@code sequence}; otherwise inserts take the next record number from the shared counter of
     * records, and reads and updates choose among the records inserted so far. Not thread-safe: one per
     * client thread (or the async runner's issuing thread).
     */
    static final class Client {
        private final boolean load;
        private final int fields;
        private final boolean writeAllFields;
        private final AtomicLong records;
        private final SplittableRandom random;
        private final YcsbGenerators.OperationChooser operations;
        private final YcsbGenerators.KeyChooser keys;
        private final String pool;
        private final int fieldLength;

        /** @param records the shared count of records (the next insert's record number) */
        Client(YcsbOptions options, AtomicLong records, SplittableRandom random) {
            this.load = options.isLoad();
            this.fields = options.fields();
            this.writeAllFields = options.writeAllFields();
            this.records = requireNonNull(records, "records is null");
            this.random = requireNonNull(random, "random is null");
            this.operations = new YcsbGenerators.OperationChooser(options.readProportion(), options.updateProportion(),
                    options.insertProportion(), random);
            this.keys = YcsbGenerators.keyChooser(options.distribution(), options.records(), random);
            this.fieldLength = options.fieldLength();
            // random printable text; a value is a window at a random offset (no per-value random characters)
            StringBuilder text = new StringBuilder(fieldLength + 4096);
            for (int i = 0; i < fieldLength + 4096; i++) {
                text.append((char) (' ' + 1 + random.nextInt(94)));
            }
            this.pool = text.toString();
        }

        Choice next(long sequence) {
            if (load) {
                return new Choice(LoadRunner.Kind.INSERT, sequence, -1);
            }
            LoadRunner.Kind kind = operations.next();
            return switch (kind) {
                case INSERT -> new Choice(kind, records.getAndIncrement(), -1);
                case UPDATE -> new Choice(kind, keys.next(records.get()), writeAllFields ? -1 : random.nextInt(fields));
                default -> new Choice(kind, keys.next(records.get()), -1);
            };
        }

        String value() {
            int offset = random.nextInt(4096);
            return pool.substring(offset, offset + fieldLength);
        }
    }

    /** The prepared statements of a session. Thread-safe. */
    static final class Statements {
        private final int fields;
        private final PreparedStatement insert;
        private final PreparedStatement read;
        private final PreparedStatement updateAll;
        private final List<PreparedStatement> updateOne = new ArrayList<>();

        Statements(CqlSession session, Table table, boolean writeAllFields) {
            this.fields = table.fields();
            this.insert = session.prepare(table.insert());
            this.read = session.prepare(table.read());
            this.updateAll = writeAllFields ? session.prepare(table.updateAll()) : null;
            if (!writeAllFields) {
                for (int i = 0; i < fields; i++) {
                    updateOne.add(session.prepare(table.updateOne(i)));
                }
            }
        }

        BoundStatement bind(Choice choice, Client client) {
            String key = YcsbGenerators.keyName(choice.keyNumber());
            return switch (choice.kind()) {
                case READ -> read.bind(key);
                case INSERT -> {
                    BoundStatementBuilder builder = insert.boundStatementBuilder().setString(0, key);
                    for (int i = 0; i < fields; i++) {
                        builder.setString(i + 1, client.value());
                    }
                    yield builder.build();
                }
                case UPDATE -> {
                    if (choice.field() >= 0) {
                        yield updateOne.get(choice.field()).bind(client.value(), key);
                    }
                    BoundStatementBuilder builder = updateAll.boundStatementBuilder();
                    for (int i = 0; i < fields; i++) {
                        builder.setString(i, client.value());
                    }
                    yield builder.setString(fields, key).build();
                }
                case WRITE -> throw new IllegalArgumentException("not a ycsb operation: " + choice);
            };
        }
    }

    static LoadRunner.Outcome outcome(LoadRunner.Kind kind, Row row) {
        if (kind != LoadRunner.Kind.READ) {
            return LoadRunner.Outcome.WRITTEN;
        }
        return row == null ? LoadRunner.Outcome.MISSING : LoadRunner.Outcome.FOUND;
    }

    /** The asynchronous runner's operation: one client, {@code executeAsync}. */
    static LoadRunner.Operation async(CqlSession session, Statements statements, Client client) {
        return sequence -> {
            Choice choice = client.next(sequence);
            try {
                BoundStatement statement = statements.bind(choice, client);
                return new LoadRunner.Started(choice.kind(), session.executeAsync(statement)
                        .thenApply(result -> outcome(choice.kind(), result.one())));
            } catch (RuntimeException e) {
                return new LoadRunner.Started(choice.kind(), CompletableFuture.failedFuture(e));
            }
        };
    }

    /** A synchronous client thread's operation: {@code execute} waits for the answer. */
    static ThreadRunner.Operation sync(CqlSession session, Statements statements, Client client) {
        return sequence -> {
            Choice choice = client.next(sequence);
            return new ThreadRunner.Prepared(choice.kind(),
                    () -> outcome(choice.kind(), session.execute(statements.bind(choice, client)).one()));
        };
    }
}
