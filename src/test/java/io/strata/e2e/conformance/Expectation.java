package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What the last statement of a case must produce. */
sealed interface Expectation {

    /** The statement succeeds; its result, if any, is not checked. */
    record Ok() implements Expectation {}

    /**
     * The statement returns exactly these rows.
     *
     * @param columns the result's column names, in order
     * @param types the result's column types in CQL form ({@code int}, {@code map<text, int>}), in order;
     *     empty when the case does not check them
     * @param rows each row's values as CQL literals or matchers (see {@link CqlValues#matches})
     * @param ordered whether the rows must come in this order
     */
    record Rows(List<String> columns, List<String> types, List<List<String>> rows, boolean ordered)
            implements Expectation {
        public Rows {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            types = List.copyOf(requireNonNull(types, "types is null"));
            rows = requireNonNull(rows, "rows is null").stream().map(List::copyOf).toList();
            if (!types.isEmpty() && types.size() != columns.size()) {
                throw new IllegalArgumentException(types.size() + " types for " + columns.size() + " columns " + columns);
            }
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("row " + row + " has " + row.size() + " values for "
                            + columns.size() + " columns " + columns);
                }
            }
        }

        public Rows(List<String> columns, List<List<String>> rows, boolean ordered) {
            this(columns, List.of(), rows, ordered);
        }

        Rows withTypes(List<String> newTypes) {
            return new Rows(columns, newTypes, rows, ordered);
        }
    }

    /**
     * The statement fails with this CQL error code and a message containing the substring
     * (case-insensitive; empty matches any message).
     *
     * @param code the protocol's error name: SYNTAX_ERROR, INVALID, ALREADY_EXISTS, UNAUTHORIZED, ...
     * @param messagePart a substring of the server's message
     */
    record Error(String code, String messagePart) implements Expectation {
        public Error {
            requireNonNull(code, "code is null");
            requireNonNull(messagePart, "messagePart is null");
        }
    }
}
