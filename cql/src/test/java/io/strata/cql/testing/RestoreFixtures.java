package io.strata.cql.testing;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.RestoreState;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.NativeType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Schema states of restores that tests need without a storage engine that restores (committed for real). */
public final class RestoreFixtures {
    private RestoreFixtures() {}

    /**
     * Commits {@code keyspace.name} (k int PRIMARY KEY, v text) RESTORING from {@code source} to tenant dev's schema,
     * as a restore accepted and not yet finished leaves it (no engine restore is started: nobody follows it).
     */
    public static TableMetadata markRestoring(CqlFixture db, String keyspace, String name, String source) {
        long now = db.schemas.clock().millis();
        TableMetadata t = new RestoreState(source, UUID.randomUUID(), now, now, false).mark(new TableMetadata(keyspace,
                name, UUID.randomUUID(), List.of(new ColumnMetadata("k", NativeType.INT, ColumnMetadata.Kind.PARTITION_KEY,
                        0, false), new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, -1, false)),
                Map.of()));
        db.schemas.apply("dev", s -> new SchemaService.Change(Optional.of(s.with(s.keyspace(keyspace).orElseThrow()
                .withTable(t), SchemaService.newSchemaVersion())), SchemaEvent.table(SchemaEvent.Change.CREATED, keyspace,
                name))).toCompletableFuture().join();
        return t;
    }
}
