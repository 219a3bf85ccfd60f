package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.servererrors.AlreadyExistsException;
import com.datastax.oss.driver.api.core.servererrors.FunctionFailureException;
import com.datastax.oss.driver.api.core.servererrors.InvalidConfigurationInQueryException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ProtocolError;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.type.DataType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Runs one case against a session already USE-ing its file's keyspace and checks the expectation; a
 * mismatch is an {@link AssertionError} saying what was expected and what came back. Statements run one
 * at a time (each waits for the previous); safe to use from one thread at a time.
 */
final class CaseExecutor {
    private final CqlSession session;
    private final CqlValues values;

    CaseExecutor(CqlSession session) {
        this.session = requireNonNull(session, "session is null");
        this.values = new CqlValues(session.getContext().getCodecRegistry(), session.getContext().getProtocolVersion());
    }

    /** Runs fixture statements; each must succeed (and declare the markers it is expected to). */
    void runAll(String file, List<ConformanceCase.Step> steps) {
        for (ConformanceCase.Step step : steps) {
            if (step.markers().isPresent()) {
                checkMarkers(file + ".cql:" + step.line() + " " + abbreviate(step.cql()), step.markers().get(), step);
            }
            Outcome o = execute(step, 0);
            if (o.failure() != null) {
                throw new AssertionError(file + ".cql:" + step.line() + ": statement failed: " + abbreviate(step.cql())
                        + "\n  -> " + describe(o.failure()), o.failure());
            }
        }
    }

    void run(ConformanceCase c) {
        List<ConformanceCase.Step> steps = c.steps();
        runAll(c.file(), steps.subList(0, steps.size() - 1));
        String last = c.file() + ".cql:" + c.last().line() + " [" + c.name() + "] " + abbreviate(c.last().cql());
        if (c.last().markers().isPresent()) {
            checkMarkers(last, c.last().markers().get(), c.last());
        }
        Outcome o = execute(c.last(), c.pageSize().orElse(0), c.consistency());
        String where = last;
        Expectation e = c.expectation();
        if (e instanceof Expectation.Ok) {
            if (o.failure() != null) {
                throw new AssertionError(where + "\n  expected success, got " + describe(o.failure()), o.failure());
            }
        } else if (e instanceof Expectation.Error err) {
            checkError(where, err, o);
        } else {
            checkRows(where, (Expectation.Rows) e, o);
        }
        if (c.warning().isPresent() && o.warnings().stream().noneMatch(w -> w.contains(c.warning().get()))) {
            throw new AssertionError(where + "\n  expected a warning containing \"" + c.warning().get() + "\", got "
                    + o.warnings());
        }
    }

    /** A statement as messages quote it: at most 300 characters (a batch of 100 rows or a 2 KB key is cut). */
    static String abbreviate(String cql) {
        return cql.length() <= 300 ? cql : cql.substring(0, 300) + "... (" + cql.length() + " characters)";
    }

    /** Compares the bind markers the server declares for a prepared statement: names and types, in order. */
    private void checkMarkers(String where, List<String> expected, ConformanceCase.Step step) {
        ColumnDefinitions vars;
        try {
            vars = session.prepare(step.cql()).getVariableDefinitions();
        } catch (RuntimeException e) {
            throw new AssertionError(where + "\n  expected markers " + expected + ", but PREPARE failed: "
                    + describe(unwrap(e)), e);
        }
        List<String> actual = new ArrayList<>();
        boolean same = vars.size() == expected.size();
        for (int i = 0; i < vars.size(); i++) {
            String name = vars.get(i).getName().asInternal();
            actual.add(name + " " + vars.get(i).getType().asCql(true, true));
            if (same) {
                String e = expected.get(i).strip();
                int cut = lastSpaceOutsideBrackets(e);
                same = cut > 0 && e.substring(0, cut).strip().equals(name)
                        && CqlValues.sameType(e.substring(cut + 1), vars.get(i).getType());
            }
        }
        if (!same) {
            throw new AssertionError(where + "\n  expected markers " + expected + "\n  got markers      " + actual);
        }
    }

    private static int lastSpaceOutsideBrackets(String s) {
        int depth = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == '>') {
                depth++;
            } else if (c == '<') {
                depth--;
            } else if (c == ' ' && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private void checkError(String where, Expectation.Error err, Outcome o) {
        if (o.failure() == null) {
            throw new AssertionError(where + "\n  expected error " + err.code()
                    + (err.messagePart().isEmpty() ? "" : " \"" + err.messagePart() + "\"")
                    + ", but it succeeded" + (o.columns() == null ? "" : " with " + o.rows().size() + " row(s):\n" + render(o)));
        }
        String code = errorCode(o.failure());
        String message = String.valueOf(o.failure().getMessage());
        if (!code.equals(err.code())
                || !message.toLowerCase(Locale.ROOT).contains(err.messagePart().toLowerCase(Locale.ROOT))) {
            throw new AssertionError(where + "\n  expected error " + err.code() + " \"" + err.messagePart()
                    + "\"\n  got " + describe(o.failure()), o.failure());
        }
    }

    private void checkRows(String where, Expectation.Rows rows, Outcome o) {
        if (o.failure() != null) {
            throw new AssertionError(where + "\n  expected rows, got " + describe(o.failure()), o.failure());
        }
        if (o.columns() == null) {
            throw new AssertionError(where + "\n  expected rows, got a result without rows");
        }
        List<String> names = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (int i = 0; i < o.columns().size(); i++) {
            names.add(o.columns().get(i).getName().asInternal());
            types.add(o.columns().get(i).getType().asCql(true, true));
        }
        if (!names.equals(rows.columns())) {
            throw new AssertionError(where + "\n  expected columns " + rows.columns() + "\n  got columns      " + names
                    + "\n" + render(o));
        }
        for (int i = 0; i < rows.types().size(); i++) {
            if (!CqlValues.sameType(rows.types().get(i), o.columns().get(i).getType())) {
                throw new AssertionError(where + "\n  expected column types " + rows.types() + "\n  got column types      "
                        + types);
            }
        }
        boolean ok = o.rows().size() == rows.rows().size()
                && (rows.ordered() ? matchOrdered(rows, o) : matchUnordered(rows, o));
        if (!ok) {
            StringBuilder sb = new StringBuilder(where).append("\n  expected ").append(rows.rows().size())
                    .append(" row(s)").append(rows.ordered() ? "" : " (any order)").append(":\n");
            for (List<String> r : rows.rows()) {
                sb.append("    ").append(String.join(" | ", r)).append('\n');
            }
            sb.append("  got ").append(o.rows().size()).append(" row(s):\n").append(render(o));
            throw new AssertionError(sb.toString());
        }
    }

    private boolean matchOrdered(Expectation.Rows rows, Outcome o) {
        for (int r = 0; r < rows.rows().size(); r++) {
            if (!rowMatches(rows.rows().get(r), o.rows().get(r), o.columns())) {
                return false;
            }
        }
        return true;
    }

    private boolean matchUnordered(Expectation.Rows rows, Outcome o) {
        boolean[] used = new boolean[o.rows().size()];
        for (List<String> expected : rows.rows()) {
            boolean found = false;
            for (int a = 0; a < used.length && !found; a++) {
                if (!used[a] && rowMatches(expected, o.rows().get(a), o.columns())) {
                    used[a] = true;
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private boolean rowMatches(List<String> expected, List<ByteBuffer> actual, ColumnDefinitions defs) {
        for (int i = 0; i < expected.size(); i++) {
            if (!values.matches(defs.get(i).getType(), expected.get(i), actual.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The rows as a case file writes them: a header of column names, then one line per row (at most 50). */
    private String render(Outcome o) {
        StringBuilder sb = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < o.columns().size(); i++) {
            names.add(o.columns().get(i).getName().asInternal());
        }
        sb.append("    ").append(String.join(" | ", names)).append('\n');
        int shown = 0;
        for (List<ByteBuffer> row : o.rows()) {
            if (shown++ == 50) {
                sb.append("    ... (").append(o.rows().size() - 50).append(" more)\n");
                break;
            }
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                cells.add(values.format(o.columns().get(i).getType(), row.get(i)));
            }
            sb.append("    ").append(String.join(" | ", cells)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Executes one statement and reads every page. With a page size, checks that no page holds more rows
     * than asked: the protocol's contract for result paging.
     */
    private Outcome execute(ConformanceCase.Step step, int pageSize) {
        return execute(step, pageSize, java.util.Optional.empty());
    }

    private Outcome execute(ConformanceCase.Step step, int pageSize, java.util.Optional<String> consistency) {
        if (step.isPause()) {
            try {
                Thread.sleep(step.sleepMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new Outcome(null, List.of(), null, List.of());
        }
        Statement<?> statement;
        try {
            statement = step.binds().isPresent() ? bind(step) : SimpleStatement.newInstance(step.cql());
        } catch (RuntimeException e) {
            return Outcome.failed(unwrap(e));
        }
        if (consistency.isPresent()) {
            statement = statement.setConsistencyLevel(
                    com.datastax.oss.driver.api.core.DefaultConsistencyLevel.valueOf(consistency.get()));
        }
        if (pageSize > 0) {
            statement = statement.setPageSize(pageSize);
        }
        try {
            AsyncResultSet page = await(session.executeAsync(statement));
            List<String> warnings = new ArrayList<>(page.getExecutionInfo().getWarnings());
            ColumnDefinitions defs = page.getColumnDefinitions();
            List<List<ByteBuffer>> rows = new ArrayList<>();
            int pageNumber = 1;
            while (true) {
                int inPage = 0;
                for (Row row : page.currentPage()) {
                    List<ByteBuffer> cells = new ArrayList<>();
                    for (int i = 0; i < defs.size(); i++) {
                        ByteBuffer bytes = row.getBytesUnsafe(i);
                        cells.add(bytes == null ? null : bytes.duplicate());
                    }
                    rows.add(cells);
                    inPage++;
                }
                if (pageSize > 0 && inPage > pageSize) {
                    throw new AssertionError("page " + pageNumber + " of '" + step.cql() + "' holds " + inPage
                            + " rows, more than the page size " + pageSize);
                }
                if (!page.hasMorePages()) {
                    break;
                }
                page = await(page.fetchNextPage());
                pageNumber++;
            }
            return new Outcome(defs.size() == 0 ? null : defs, rows, null, warnings);
        } catch (RuntimeException e) {
            return Outcome.failed(unwrap(e));
        }
    }

    private Statement<?> bind(ConformanceCase.Step step) {
        PreparedStatement prepared = session.prepare(step.cql());
        ColumnDefinitions vars = prepared.getVariableDefinitions();
        List<String> literals = step.binds().orElseThrow();
        if (literals.size() != vars.size()) {
            throw new IllegalArgumentException("case file binds " + literals.size() + " value(s), the statement has "
                    + vars.size() + " marker(s): " + step.cql());
        }
        BoundStatementBuilder b = prepared.boundStatementBuilder();
        for (int i = 0; i < literals.size(); i++) {
            String literal = literals.get(i);
            if (literal.equalsIgnoreCase("unset")) {
                continue;
            }
            DataType type = vars.get(i).getType();
            b = b.setBytesUnsafe(i, values.bindBytes(type, literal));
        }
        return b.build();
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while ((u instanceof CompletionException || u instanceof ExecutionException) && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }

    /** The protocol's name for the error a driver exception stands for; CLIENT for client-side failures. */
    static String errorCode(Throwable t) {
        if (t instanceof SyntaxError) {
            return "SYNTAX_ERROR";
        } else if (t instanceof AlreadyExistsException) {
            return "ALREADY_EXISTS";
        } else if (t instanceof InvalidConfigurationInQueryException) {
            return "CONFIG_ERROR";
        } else if (t instanceof InvalidQueryException) {
            return "INVALID";
        } else if (t instanceof UnauthorizedException) {
            return "UNAUTHORIZED";
        } else if (t instanceof ServerError) {
            return "SERVER_ERROR";
        } else if (t instanceof ProtocolError) {
            return "PROTOCOL_ERROR";
        } else if (t instanceof TruncateException) {
            return "TRUNCATE_ERROR";
        } else if (t instanceof FunctionFailureException) {
            return "FUNCTION_FAILURE";
        } else if (t instanceof UnavailableException) {
            return "UNAVAILABLE";
        } else if (t instanceof WriteTimeoutException) {
            return "WRITE_TIMEOUT";
        } else if (t instanceof ReadTimeoutException) {
            return "READ_TIMEOUT";
        } else if (t instanceof WriteFailureException) {
            return "WRITE_FAILURE";
        } else if (t instanceof ReadFailureException) {
            return "READ_FAILURE";
        } else if (t instanceof OverloadedException) {
            return "OVERLOADED";
        } else if (t instanceof DriverTimeoutException) {
            return "CLIENT_TIMEOUT";
        }
        return "CLIENT";
    }

    private static String describe(Throwable t) {
        return errorCode(t) + " (" + t.getClass().getSimpleName() + "): " + t.getMessage();
    }

    /** A statement's result: its columns (null for a result without rows) and rows, or its failure. */
    private record Outcome(ColumnDefinitions columns, List<List<ByteBuffer>> rows, Throwable failure, List<String> warnings) {
        static Outcome failed(Throwable t) {
            return new Outcome(null, List.of(), t, List.of());
        }
    }
}
