package io.strata.cql.types;

import java.util.List;

/**
 * A CQL data type. Values travel through Strata in their native-protocol serialized form (the bytes a
 * driver sends and receives); a type knows how to validate such bytes, how to produce them from a CQL
 * literal, how to render them as CQL text, and how to describe itself on the wire. Immutable.
 */
public sealed interface DataType permits NativeType, CollectionType, TupleType, UserType {

    /** The CQL spelling, as in system_schema.columns.type and DESCRIBE (e.g. {@code frozen<list<int>>}). */
    String cql();

    /** True for frozen collections, tuples, UDTs and every native type: values are single cells. */
    boolean isFrozen();

    /** Whether values of this type may appear in a primary key (frozen or native, except duration and counter). */
    default boolean isValidInPrimaryKey() {
        return isFrozen();
    }

    default List<DataType> subTypes() {
        return List.of();
    }
}
