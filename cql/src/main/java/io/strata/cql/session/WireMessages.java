package io.strata.cql.session;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.error.AlreadyExists;
import com.datastax.oss.protocol.internal.response.error.FunctionFailure;
import com.datastax.oss.protocol.internal.response.error.Unprepared;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import com.datastax.oss.protocol.internal.response.result.SchemaChange;
import com.datastax.oss.protocol.internal.response.result.SetKeyspace;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.strata.cql.expr.Bindings;
import io.strata.cql.parse.CqlSyntaxException;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.Result;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.types.InvalidValueException;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.StorageOverloadedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * The only translation between the CQL layer's types and the native protocol's: results and errors to
 * response messages, bound values and column specs from and to the wire, schema events to SCHEMA_CHANGE
 * events. Stateless.
 */
public final class WireMessages {
    private static final Logger LOG = Logger.getLogger(WireMessages.class);

    private WireMessages() {}

    /** A SCHEMA_CHANGE event for the transport to push to registered connections. */
    public static SchemaChangeEvent event(SchemaEvent e) {
        return new SchemaChangeEvent(e.change().name(), e.target().name(), e.keyspace(), e.name(), e.arguments());
    }

    /**
     * A result as a message; rows omit their column specs when the client asked to skip metadata and its
     * metadata id (protocol v5) still matches.
     *
     * @param known the wire form of the columns a prepared statement returns, or null
     */
    static Message result(Result result, boolean skipMetadata, byte[] clientMetadataId, WireColumns known) {
        if (result instanceof Result.Rows rows) {
            WireColumns wire = known != null ? known.orFor(rows.columns()) : null;
            List<ColumnSpec> specs = wire != null ? wire.specs() : specs(rows.columns());
            boolean skip = skipMetadata && (clientMetadataId == null || java.util.Arrays.equals(clientMetadataId,
                    wire != null ? wire.metadataId() : metadataId(specs)));
            ByteBuffer paging = rows.pagingState() == null ? null : ByteBuffer.wrap(rows.pagingState());
            RowsMetadata md = skip ? new RowsMetadata(specs.size(), paging, null, null)
                    : new RowsMetadata(specs, paging, null, null);
            Queue<List<ByteBuffer>> data = rows.rows() instanceof Queue<List<ByteBuffer>> q ? q : new ArrayDeque<>(rows.rows());
            return new DefaultRows(md, data);
        }
        if (result instanceof Result.SetKeyspace sk) {
            return new SetKeyspace(sk.keyspace());
        }
        if (result instanceof Result.SchemaChanged sc) {
            SchemaEvent e = sc.event();
            return new SchemaChange(e.change().name(), e.target().name(), e.keyspace(), e.name(), e.arguments());
        }
        return Void.INSTANCE;
    }

    static List<ColumnSpec> specs(List<ResultColumn> columns) {
        List<ColumnSpec> specs = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ResultColumn c = columns.get(i);
            specs.add(new ColumnSpec(c.keyspace(), c.table(), c.name(), i, WireTypes.of(c.type())));
        }
        return specs;
    }

    /** MD5 of the result columns (protocol v5's result metadata id). */
    static byte[] metadataId(List<ColumnSpec> columns) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (ColumnSpec c : columns) {
                md5.update((c.ksName + "." + c.tableName + "." + c.name + ":" + c.type.id + ";")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bound values from the wire: null stays null, the protocol's unset marker becomes {@link Bindings#UNSET}. */
    static Bindings bindings(List<ByteBuffer> buffers) {
        byte[][] v = new byte[buffers.size()][];
        for (int i = 0; i < v.length; i++) {
            ByteBuffer b = buffers.get(i);
            if (b == null) {
                v[i] = null;
            } else if (b == ProtocolConstants.UNSET_VALUE) {
                v[i] = Bindings.UNSET;
            } else {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                v[i] = bytes;
            }
        }
        return Bindings.of(v);
    }

    static boolean hasDefaultTimestamp(QueryOptions options) {
        return options.defaultTimestamp != QueryOptions.NO_DEFAULT_TIMESTAMP && options.defaultTimestamp != Long.MIN_VALUE;
    }

    /** A failure as the error the client sees: CQL errors with their codes, anything else a server error. */
    static Message error(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CqlException.AlreadyExists a) {
            return new AlreadyExists(a.getMessage(), a.keyspace(), a.table());
        }
        if (cause instanceof CqlException.Unprepared u) {
            return new Unprepared(u.getMessage(), u.id());
        }
        if (cause instanceof CqlException.FunctionFailure f) {
            return new FunctionFailure(f.getMessage(), f.keyspace(), f.function(), f.argTypes());
        }
        if (cause instanceof CqlException.WriteTimeout w) {
            return new com.datastax.oss.protocol.internal.response.error.WriteTimeout(w.getMessage(),
                    w.consistency().code(), w.received(), w.blockFor(), w.writeType());
        }
        if (cause instanceof CqlException.ReadTimeout r) {
            return new com.datastax.oss.protocol.internal.response.error.ReadTimeout(r.getMessage(),
                    r.consistency().code(), r.received(), r.blockFor(), r.dataPresent());
        }
        if (cause instanceof CqlException c) {
            return new Error(c.code().code(), c.getMessage());
        }
        if (cause instanceof CqlSyntaxException s) {
            return new Error(ProtocolConstants.ErrorCode.SYNTAX_ERROR, s.getMessage());
        }
        if (cause instanceof InvalidValueException v) {
            return new Error(ProtocolConstants.ErrorCode.INVALID, v.getMessage());
        }
        if (cause instanceof StorageOverloadedException o) {
            // the tenant's own backlog, not a fault: drivers retry OVERLOADED later or elsewhere
            return new Error(ProtocolConstants.ErrorCode.OVERLOADED, o.getMessage());
        }
        if (cause instanceof io.strata.storage.spi.crypto.KeyUnavailableException k) {
            // a table under the tenant's own key that it revoked or deleted: the message names the table and key
            return new Error(ProtocolConstants.ErrorCode.SERVER_ERROR, k.getMessage());
        }
        if (cause instanceof StorageException s) {
            String id = correlationId();
            LOG.warnf(s, "storage failure [%s]", id);
            return new Error(ProtocolConstants.ErrorCode.SERVER_ERROR,
                    "Storage failure (correlation id " + id + "); the request may be retried");
        }
        if (cause instanceof StackOverflowError) {
            return new Error(ProtocolConstants.ErrorCode.INVALID, "The statement is nested too deeply to be executed");
        }
        // internal details go to the log only; the client gets an id to quote
        String id = correlationId();
        LOG.errorf(cause, "unexpected failure executing a request [%s]", id);
        return new Error(ProtocolConstants.ErrorCode.SERVER_ERROR, "Internal server error (correlation id " + id + ")");
    }

    private static String correlationId() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
    }
}
