package io.strata.cql.types;

import com.datastax.oss.protocol.internal.response.result.RawType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A user-defined type of a keyspace; frozen or not (non-frozen UDTs store one cell per field). */
public record UserType(String keyspace, String name, List<String> fieldNames, List<DataType> fieldTypes, boolean isFrozen)
        implements DataType {
    public UserType {
        fieldNames = List.copyOf(fieldNames);
        fieldTypes = List.copyOf(fieldTypes);
        if (fieldNames.size() != fieldTypes.size()) {
            throw new IllegalArgumentException("field names and types differ in length");
        }
    }

    @Override
    public String cql() {
        String n = CqlIdentifiers.quoteIfNeeded(name);
        return isFrozen ? "frozen<" + n + ">" : n;
    }

    @Override
    public RawType rawType() {
        Map<String, RawType> fields = new LinkedHashMap<>();
        for (int i = 0; i < fieldNames.size(); i++) {
            fields.put(fieldNames.get(i), fieldTypes.get(i).rawType());
        }
        return new RawType.RawUdt(keyspace, name, fields);
    }

    @Override
    public List<DataType> subTypes() {
        return fieldTypes;
    }
}
