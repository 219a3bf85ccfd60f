package io.strata.cql.types;

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
    public List<DataType> subTypes() {
        return fieldTypes;
    }
}
