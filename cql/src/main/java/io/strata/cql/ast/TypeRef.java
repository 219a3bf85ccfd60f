package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A CQL type as written, before resolution of user types against a keyspace. Immutable.
 */
public sealed interface TypeRef {

    /** A native type, lower-case ({@code int}, {@code text}, {@code varchar}, {@code counter}, ...). */
    record Native(String name) implements TypeRef {
        public Native {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code list<e>}, {@code set<e>} (one argument) or {@code map<k, v>} (two). */
    record Collection(Kind kind, List<TypeRef> arguments) implements TypeRef {
        public Collection {
            requireNonNull(kind, "kind is null");
            arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
            if (arguments.size() != (kind == Kind.MAP ? 2 : 1)) {
                throw new IllegalArgumentException(kind + " takes " + (kind == Kind.MAP ? 2 : 1) + " type arguments");
            }
        }

        /** The collection kind. */
        public enum Kind { LIST, SET, MAP }
    }

    /** {@code frozen<inner>}. */
    record Frozen(TypeRef inner) implements TypeRef {
        public Frozen {
            requireNonNull(inner, "inner is null");
        }
    }

    /** {@code tuple<a, b, ...>}. */
    record Tuple(List<TypeRef> elements) implements TypeRef {
        public Tuple {
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }
    }

    /** A user-defined type, by (possibly qualified) name. */
    record UserType(QualifiedName name) implements TypeRef {
        public UserType {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code 'fully.qualified.ClassName'}: a custom type. */
    record Custom(String className) implements TypeRef {
        public Custom {
            requireNonNull(className, "className is null");
        }
    }

    /** {@code vector<element, dimension>} (Cassandra 5). */
    record Vector(TypeRef element, int dimension) implements TypeRef {
        public Vector {
            requireNonNull(element, "element is null");
            if (dimension <= 0) {
                throw new IllegalArgumentException("vector dimension must be positive: " + dimension);
            }
        }
    }
}
