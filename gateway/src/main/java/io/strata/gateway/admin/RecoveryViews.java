package io.strata.gateway.admin;

import io.strata.cql.exec.ddl.Recovery;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.ErrorCode;
import io.strata.cql.schema.Restores;
import io.strata.cql.schema.TableMetadata;
import io.strata.storage.spi.BackupInfo;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;

/**
 * The JSON the backups and restores resources answer with (stable field names, instants in ISO-8601), and how their
 * failures become problem documents: 400 for a bad request or a restore CQL refuses, 404 for what does not exist,
 * 409 for a taken name or a state that forbids it (and for engines without backups). Stateless.
 */
final class RecoveryViews {
    private RecoveryViews() {}

    static Map<String, Object> restore(Restores.Progress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keyspace", p.keyspace());
        m.put("table", p.table());
        m.put("tableId", p.id().toString());
        m.put(p.backup() ? "backup" : "source", p.source());
        m.put("restoreTimestamp", Instant.ofEpochMilli(p.atMillis()).toString());
        m.put("startedAt", Instant.ofEpochMilli(p.startedMillis()).toString());
        m.put("status", p.status());
        m.put("percent", p.percent());
        m.put("bytesTotal", p.bytesTotal());
        m.put("bytesDone", p.bytesDone());
        if (p.finishedMillis() > 0) {
            m.put("finishedAt", Instant.ofEpochMilli(p.finishedMillis()).toString());
        }
        if (p.error() != null) {
            m.put("error", p.error());
        }
        return m;
    }

    static Map<String, Object> backup(BackupInfo b, boolean withColumns) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", b.name());
        m.put("keyspace", b.table().keyspace());
        m.put("table", b.table().table());
        m.put("tableId", b.table().id().toString());
        m.put("createdAt", Instant.ofEpochMilli(b.createdAtMillis()).toString());
        m.put("bytes", b.bytes());
        if (withColumns) {
            TableMetadata t = Recovery.backupTable(b);
            List<Map<String, String>> columns = t.columns().stream().map(c -> Map.of("name", c.name(),
                    "type", c.type().cql(), "kind", c.kind().schemaName())).toList();
            m.put("columns", columns);
        }
        return m;
    }

    /** The stage's value, on this (worker) thread; its failure as a problem document. */
    static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            throw problem(e);
        }
    }

    /** The problem document for a failed backup or restore operation. */
    static WebApplicationException problem(Throwable e) {
        Throwable c = e;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof WebApplicationException w) {
            return w;
        }
        String message = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        if (c instanceof CqlException cql) {
            int status = cql.code() == ErrorCode.ALREADY_EXISTS ? 409 : cql.code() == ErrorCode.UNAUTHORIZED ? 403 : 400;
            return new WebApplicationException(AdminProblems.problem(status, status == 409 ? "Conflict" : "Bad Request",
                    message));
        }
        if (c instanceof NoSuchElementException) {
            return new WebApplicationException(AdminProblems.problem(404, "Not Found", message));
        }
        if (c instanceof IllegalArgumentException) {
            return new WebApplicationException(AdminProblems.problem(400, "Bad Request", message));
        }
        if (c instanceof IllegalStateException || c instanceof UnsupportedOperationException) {
            return new WebApplicationException(AdminProblems.problem(409, "Conflict", message));
        }
        return new WebApplicationException(c, AdminProblems.problem(500, "Internal Server Error", message));
    }
}
