package io.strata.cql.session;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.result.RawType;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CQL data types as the native protocol describes them in result and variables metadata. Stateless. */
final class WireTypes {
    private WireTypes() {}

    static RawType of(DataType type) {
        if (type instanceof NativeType n) {
            return RawType.PRIMITIVES.get(id(n));
        }
        if (type instanceof CollectionType c) {
            return switch (c.kind()) {
                case LIST -> new RawType.RawList(of(c.keyOrElement()));
                case SET -> new RawType.RawSet(of(c.keyOrElement()));
                case MAP -> new RawType.RawMap(of(c.keyOrElement()), of(c.value()));
            };
        }
        if (type instanceof TupleType t) {
            List<RawType> raws = new ArrayList<>();
            for (DataType e : t.elements()) {
                raws.add(of(e));
            }
            return new RawType.RawTuple(raws);
        }
        UserType u = (UserType) type;
        Map<String, RawType> fields = new LinkedHashMap<>();
        for (int i = 0; i < u.fieldNames().size(); i++) {
            fields.put(u.fieldNames().get(i), of(u.fieldTypes().get(i)));
        }
        return new RawType.RawUdt(u.keyspace(), u.name(), fields);
    }

    private static int id(NativeType n) {
        return switch (n) {
            case ASCII -> ProtocolConstants.DataType.ASCII;
            case BIGINT -> ProtocolConstants.DataType.BIGINT;
            case BLOB -> ProtocolConstants.DataType.BLOB;
            case BOOLEAN -> ProtocolConstants.DataType.BOOLEAN;
            case COUNTER -> ProtocolConstants.DataType.COUNTER;
            case DATE -> ProtocolConstants.DataType.DATE;
            case DECIMAL -> ProtocolConstants.DataType.DECIMAL;
            case DOUBLE -> ProtocolConstants.DataType.DOUBLE;
            case DURATION -> ProtocolConstants.DataType.DURATION;
            case FLOAT -> ProtocolConstants.DataType.FLOAT;
            case INET -> ProtocolConstants.DataType.INET;
            case INT -> ProtocolConstants.DataType.INT;
            case SMALLINT -> ProtocolConstants.DataType.SMALLINT;
            case TEXT -> ProtocolConstants.DataType.VARCHAR;
            case TIME -> ProtocolConstants.DataType.TIME;
            case TIMESTAMP -> ProtocolConstants.DataType.TIMESTAMP;
            case TIMEUUID -> ProtocolConstants.DataType.TIMEUUID;
            case TINYINT -> ProtocolConstants.DataType.TINYINT;
            case UUID -> ProtocolConstants.DataType.UUID;
            case VARINT -> ProtocolConstants.DataType.VARINT;
        };
    }
}
