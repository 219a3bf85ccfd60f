package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One parsed {@code .cql} file: the fixture statements that precede its first case, run once in the
 * file's fresh keyspace, then its cases in file order. Immutable.
 *
 * @param name the file's base name (without {@code .cql})
 * @param fixture statements run once before the first case
 * @param cases the cases, in file order
 */
record CaseFile(String name, List<ConformanceCase.Step> fixture, List<ConformanceCase> cases) {
    CaseFile {
        requireNonNull(name, "name is null");
        fixture = List.copyOf(requireNonNull(fixture, "fixture is null"));
        cases = List.copyOf(requireNonNull(cases, "cases is null"));
    }

    /** The keyspace the runner creates for this file and USEs before each case. */
    String keyspace() {
        return "conformance_" + name.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT);
    }
}
