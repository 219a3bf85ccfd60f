package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One case of the corpus: statements run in order, the expectation applies to the last one. Every
 * statement before the last must succeed. A pending case documents a feature or bug Strata does not
 * handle yet: it is still run, and must fail. A Keyspaces case states Amazon Keyspaces' answer where it
 * rightly differs from Apache Cassandra's; a run against Cassandra reports it apart. Immutable.
 *
 * @param file the case file's base name (without {@code .cql})
 * @param name the case's name, unique within its file
 * @param line the 1-based line of the {@code -- case:} marker
 * @param steps the statements, setup first; never empty
 * @param expectation what the last statement must produce
 * @param pending why the case is expected to fail, if it is
 * @param keyspaces why the expectation is Amazon Keyspaces' and not Apache Cassandra's, if it is
 * @param pageSize the page size for the last statement, if the case sets one
 * @param consistency the consistency level name for the last statement (e.g. QUORUM), if the case sets one
 */
record ConformanceCase(
        String file,
        String name,
        int line,
        List<Step> steps,
        Expectation expectation,
        Optional<String> pending,
        Optional<String> keyspaces,
        OptionalInt pageSize,
        Optional<String> consistency,
        Optional<String> warning) {

    ConformanceCase {
        requireNonNull(file, "file is null");
        requireNonNull(name, "name is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(expectation, "expectation is null");
        requireNonNull(pending, "pending is null");
        requireNonNull(keyspaces, "keyspaces is null");
        requireNonNull(pageSize, "pageSize is null");
        requireNonNull(consistency, "consistency is null");
        requireNonNull(warning, "warning is null");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("case '" + name + "' has no statement");
        }
    }

    Step last() {
        return steps.get(steps.size() - 1);
    }

    /**
     * One CQL statement, or a pause. With bind values the statement is prepared and executed with those
     * values, each a CQL literal converted to the type the server declares for its marker (see
     * {@link CqlValues#parse}); without, it runs as a simple statement. A pause ({@code sleepMillis > 0},
     * empty {@code cql}) lets time pass, for TTL expiry.
     *
     * @param cql the statement text, without its trailing semicolon; empty for a pause
     * @param binds the bound values as CQL literals ({@code unset} leaves a marker unset), if prepared
     * @param markers the bind markers the server must declare when preparing it, each as {@code name type}
     *     (e.g. {@code [limit] int}, {@code partition key token bigint}), if the case checks them
     * @param line the 1-based line where the statement starts
     * @param sleepMillis how long a pause lasts; 0 for a statement
     */
    record Step(String cql, Optional<List<String>> binds, Optional<List<String>> markers, int line, long sleepMillis) {
        Step {
            requireNonNull(cql, "cql is null");
            binds = requireNonNull(binds, "binds is null").map(List::copyOf);
            markers = requireNonNull(markers, "markers is null").map(List::copyOf);
            if (sleepMillis < 0 || (sleepMillis > 0) != cql.isEmpty()) {
                throw new IllegalArgumentException("a step is either a statement or a pause");
            }
            if (markers.isPresent() && binds.isEmpty()) {
                throw new IllegalArgumentException("markers: needs a prepared statement (a bind: line)");
            }
        }

        Step(String cql, Optional<List<String>> binds, int line) {
            this(cql, binds, Optional.empty(), line, 0);
        }

        static Step pause(long millis, int line) {
            return new Step("", Optional.empty(), Optional.empty(), line, millis);
        }

        boolean isPause() {
            return sleepMillis > 0;
        }
    }
}
