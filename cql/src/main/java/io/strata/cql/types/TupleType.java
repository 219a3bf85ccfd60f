package io.strata.cql.types;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A tuple; always frozen. */
public record TupleType(List<DataType> elements) implements DataType {
    public TupleType {
        elements = List.copyOf(elements);
    }

    @Override
    public String cql() {
        return "frozen<tuple<" + elements.stream().map(DataType::cql).collect(Collectors.joining(", ")) + ">>";
    }

    @Override
    public boolean isFrozen() {
        return true;
    }

    @Override
    public List<DataType> subTypes() {
        return elements;
    }
}
