package io.strata.cql.exec.ddl;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.RestoreTable;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.RestoreState;
import io.strata.cql.schema.Restores;
import io.strata.cql.schema.SchemaCodec;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.storage.spi.BackupInfo;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.TableId;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Restores and on-demand backups, for the CQL executor (RESTORE TABLE) and the admin API (backups): each restore is
 * decided and committed RESTORING through {@link SchemaService#apply}, then started in the engine and followed by
 * {@link Restores}. A backup stores the table's schema ({@link SchemaCodec#encodeTable}) beside its data, so it can
 * be restored after the table is dropped. Thread-safe.
 */
public final class Recovery {
    /** Backup names: what the admin API and the CLI accept. */
    public static final Pattern BACKUP_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final SchemaService schemas;
    private final StorageEngine engine;

    public Recovery(SchemaService schemas) {
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.engine = schemas.engine();
    }

    public Restores restores() {
        return schemas.restores();
    }

    public SchemaService schemas() {
        return schemas;
    }

    /**
     * RESTORE TABLE: decides and commits the new table RESTORING, then asks the engine to restore into it. The stage
     * completes with the schema change once the engine accepted (the restore goes on asynchronously), or fails with
     * the CQL error that refused it.
     */
    CompletionStage<SchemaService.Applied> restoreTable(String tenant, RestoreTable s, String targetKs, String sourceKs) {
        long now = schemas.clock().millis();
        AtomicReference<RestoreDdl.Decision> decided = new AtomicReference<>();
        return schemas.apply(tenant, schema -> RestoreDdl.restore(s, targetKs, sourceKs, schema, now,
                schemas.restores().options(), decided::set)).thenCompose(applied -> {
                    RestoreDdl.Decision d = decided.get();
                    TableId source = new TableId(tenant, sourceKs, s.source().name(), d.sourceId());
                    return schemas.restores().begin(tenant, d.target(), () -> engine.restoreTable(source, d.atMillis(),
                            d.target().tableId(tenant))).thenApply(v -> applied);
                });
    }

    /**
     * Takes an on-demand backup of {@code keyspace.table} named {@code name}. Fails with IllegalArgumentException for a
     * bad name, NoSuchElementException for a table that does not exist, IllegalStateException for a name taken
     * (backups are immutable) or a table being restored.
     */
    public CompletionStage<BackupInfo> backup(String tenant, String keyspace, String table, String name) {
        if (name == null || !BACKUP_NAME.matcher(name).matches()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a backup name is 1 to 64 letters, digits, '_' or '-'"));
        }
        return schemas.schema(tenant).thenCompose(schema -> {
            TableMetadata t = schema.table(keyspace, table).orElseThrow(() ->
                    new NoSuchElementException("Table " + keyspace + "." + table + " does not exist"));
            if (RestoreState.restoring(t)) {
                throw new IllegalStateException("Table " + keyspace + "." + table + " is RESTORING; back it up once it"
                        + " is ACTIVE");
            }
            return engine.listBackups(tenant).thenCompose(existing -> {
                if (existing.stream().anyMatch(b -> b.name().equals(name))) {
                    throw new IllegalStateException("Backup '" + name + "' exists; backups are immutable: choose"
                            + " another name");
                }
                return engine.createBackup(t.tableId(tenant), name, SchemaCodec.encodeTable(t));
            });
        });
    }

    public CompletionStage<List<BackupInfo>> backups(String tenant) {
        return engine.listBackups(tenant);
    }

    /** One backup, or NoSuchElementException. */
    public CompletionStage<BackupInfo> backupNamed(String tenant, String name) {
        return engine.listBackups(tenant).thenApply(all -> all.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("Backup '" + name + "' does not exist")));
    }

    public CompletionStage<Void> deleteBackup(String tenant, String name) {
        return backupNamed(tenant, name).thenCompose(b -> engine.deleteBackup(tenant, name));
    }

    /** The schema a backup stored (its table as it was when the backup was taken). */
    public static TableMetadata backupTable(BackupInfo backup) {
        return SchemaCodec.decodeTable(backup.metadata());
    }

    /**
     * Restores backup {@code name} into the new table {@code keyspace.table} (created RESTORING with the backup's
     * schema and settings). The stage completes once the engine accepted the restore, with its progress; fails with
     * NoSuchElementException for an unknown backup, or the {@link CqlException} that refused the restore.
     */
    public CompletionStage<Restores.Progress> restoreBackup(String tenant, String name, String keyspace, String table) {
        return backupNamed(tenant, name).thenCompose(backup -> {
            TableMetadata source = backupTable(backup);
            long now = schemas.clock().millis();
            AtomicReference<RestoreDdl.Decision> decided = new AtomicReference<>();
            return schemas.apply(tenant, schema -> RestoreDdl.restoreBackup(name, source, backup.createdAtMillis(),
                    keyspace, table, schema, now, schemas.restores().options(), decided::set)).thenCompose(applied -> {
                        RestoreDdl.Decision d = decided.get();
                        return schemas.restores().begin(tenant, d.target(),
                                () -> engine.restoreBackup(name, d.target().tableId(tenant)));
                    }).thenApply(v -> schemas.restores().status(tenant, keyspace, table).orElseThrow());
        });
    }
}
