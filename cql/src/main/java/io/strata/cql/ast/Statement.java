package io.strata.cql.ast;

/**
 * A parsed CQL statement, before analysis against a schema. Immutable; names are already normalised
 * (unquoted identifiers lower-cased, quoted ones verbatim).
 */
public sealed interface Statement
        permits CreateKeyspace, AlterKeyspace, DropKeyspace, CreateTable, DropTable, AlterTable, Truncate, Use,
                CreateType, AlterType, DropType, CreateIndex, DropIndex, CreateMaterializedView, Describe,
                Select, Insert, Update, Delete, Batch, RestoreTable {
}
