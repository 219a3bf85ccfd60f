package io.strata.cql.types;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** list, set or map; frozen or not. Non-frozen collections are stored as one cell per element. */
public record CollectionType(Kind kind, DataType keyOrElement, DataType value, boolean isFrozen) implements DataType {
    public enum Kind { LIST, SET, MAP }

    public CollectionType {
        requireNonNull(kind, "kind is null");
        requireNonNull(keyOrElement, "keyOrElement is null");
        if ((kind == Kind.MAP) != (value != null)) {
            throw new IllegalArgumentException("only maps have a value type");
        }
    }

    public CollectionType frozen() {
        return new CollectionType(kind, keyOrElement, value, true);
    }

    @Override
    public String cql() {
        String inner = switch (kind) {
            case LIST -> "list<" + keyOrElement.cql() + ">";
            case SET -> "set<" + keyOrElement.cql() + ">";
            case MAP -> "map<" + keyOrElement.cql() + ", " + value.cql() + ">";
        };
        return isFrozen ? "frozen<" + inner + ">" : inner;
    }

    @Override
    public List<DataType> subTypes() {
        return value == null ? List.of(keyOrElement) : List.of(keyOrElement, value);
    }
}
