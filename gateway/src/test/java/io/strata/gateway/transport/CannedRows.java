package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RawType;
import com.datastax.oss.protocol.internal.response.result.Rows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/** Builds small RESULT Rows messages for fake request handlers. */
final class CannedRows {
    static final RawType TEXT = RawType.PRIMITIVES.get(ProtocolConstants.DataType.VARCHAR);
    static final RawType BLOB = RawType.PRIMITIVES.get(ProtocolConstants.DataType.BLOB);

    private CannedRows() {}

    /** One row with one text column {@code v}. */
    static Rows text(String value) {
        return single("v", TEXT, utf8(value));
    }

    /** One row with one blob column {@code v}. */
    static Rows blob(byte[] value) {
        return single("v", BLOB, ByteBuffer.wrap(value));
    }

    static Rows single(String column, RawType type, ByteBuffer value) {
        Queue<List<ByteBuffer>> data = new ArrayDeque<>();
        List<ByteBuffer> row = new ArrayList<>();
        row.add(value);
        data.add(row);
        return new DefaultRows(metadata(List.of(new ColumnSpec("ks", "t", column, 0, type))), data);
    }

    static RowsMetadata metadata(List<ColumnSpec> columns) {
        return new RowsMetadata(columns, null, new int[0], null);
    }

    static ByteBuffer utf8(String value) {
        return ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8));
    }

    static String utf8(ByteBuffer value) {
        return StandardCharsets.UTF_8.decode(value.duplicate()).toString();
    }

    /** The single text value of a one-row, one-column result. */
    static String onlyText(Rows rows) {
        return utf8(rows.getData().peek().get(0));
    }
}
