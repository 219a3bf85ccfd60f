package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parses the corpus's case files; the format is described in {@code docs/conformance.md}. Lines starting
 * with {@code --} carry directives (or are comments); other lines hold CQL statements, each ending with a
 * line whose last character is {@code ;} (a {@code BEGIN ... BATCH} runs to its {@code APPLY BATCH;}).
 * Malformed files fail loudly with the file and line: a silently dropped case would check nothing.
 * Stateless and thread-safe.
 */
final class CaseParser {
    private CaseParser() {}

    static CaseFile parse(String fileName, String text) {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(text, "text is null");
        return new FileParser(fileName, text.split("\r?\n", -1)).parse();
    }

    /**
     * Splits a row of expected values or a bind list at top-level separators: not inside quotes, nor
     * inside brackets, braces or parentheses. Parts are trimmed.
     */
    static List<String> splitTopLevel(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                current.append(c);
                if (c == '\'') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        current.append(s.charAt(++i));
                    } else {
                        quoted = false;
                    }
                }
                continue;
            }
            if (c == '\'') {
                quoted = true;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(current.toString().trim());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        if (quoted || depth != 0) {
            throw new IllegalArgumentException("unbalanced quotes or brackets in: " + s);
        }
        parts.add(current.toString().trim());
        return parts;
    }

    /** One pass over one file; holds the case being built. Not thread-safe (confined to parse()). */
    private static final class FileParser {
        private final String fileName;
        private final String[] lines;
        private final List<ConformanceCase.Step> fixture = new ArrayList<>();
        private final List<ConformanceCase> cases = new ArrayList<>();

        private String caseName;
        private int caseLine;
        private List<ConformanceCase.Step> steps;
        private Expectation expectation;
        private Optional<String> pending;
        private Optional<String> keyspaces;
        private OptionalInt pageSize;
        private Optional<String> consistency;
        private Optional<String> warning = Optional.empty();
        private Optional<List<String>> nextMarkers = Optional.empty();
        private Optional<List<String>> nextBinds;
        private boolean sawStatement;

        FileParser(String fileName, String[] lines) {
            this.fileName = fileName;
            this.lines = lines;
        }

        CaseFile parse() {
            nextBinds = Optional.empty();
            int i = 0;
            while (i < lines.length) {
                String line = lines[i].strip();
                if (line.isEmpty()) {
                    i++;
                } else if (line.startsWith("--")) {
                    i = directive(i, line.substring(2).strip());
                } else {
                    i = statement(i);
                }
            }
            finishCase(lines.length);
            return new CaseFile(fileName, fixture, cases);
        }

        private int directive(int i, String d) {
            String lower = d.toLowerCase(Locale.ROOT);
            if (lower.startsWith("case:")) {
                finishCase(i);
                caseName = value(d);
                caseLine = i + 1;
                if (caseName.isEmpty()) {
                    throw error(i, "case without a name");
                }
                for (ConformanceCase c : cases) {
                    if (c.name().equals(caseName)) {
                        throw error(i, "duplicate case name '" + caseName + "'");
                    }
                }
                steps = new ArrayList<>();
                expectation = null;
                pending = Optional.empty();
                keyspaces = Optional.empty();
                pageSize = OptionalInt.empty();
                consistency = Optional.empty();
                warning = Optional.empty();
                sawStatement = false;
                return i + 1;
            }
            if (lower.startsWith("setup:")) {
                requireCase(i, "setup");
                requireNoExpectation(i);
                if (sawStatement) {
                    throw error(i, "setup after a statement of case '" + caseName + "': setups come first");
                }
                steps.add(new ConformanceCase.Step(stripSemicolon(value(d)), Optional.empty(), i + 1));
                return i + 1;
            }
            if (lower.startsWith("sleep:")) {
                requireCase(i, "sleep");
                requireNoExpectation(i);
                long millis;
                try {
                    millis = Long.parseLong(value(d));
                } catch (NumberFormatException e) {
                    throw error(i, "sleep is not a number of milliseconds: " + value(d));
                }
                if (millis <= 0 || millis > 5000) {
                    throw error(i, "sleep must be 1..5000 ms: " + millis);
                }
                steps.add(ConformanceCase.Step.pause(millis, i + 1));
                return i + 1;
            }
            if (lower.startsWith("types:")) {
                requireCase(i, "types");
                if (!(expectation instanceof Expectation.Rows rows)) {
                    throw error(i, "types: must follow an expect rows block");
                }
                if (!rows.types().isEmpty()) {
                    throw error(i, "types: given twice");
                }
                List<String> types = splitTopLevel(value(d), '|');
                if (types.size() != rows.columns().size()) {
                    throw error(i, types.size() + " types for " + rows.columns().size() + " columns");
                }
                expectation = rows.withTypes(types);
                return i + 1;
            }
            if (lower.startsWith("pending:")) {
                requireCase(i, "pending");
                if (value(d).isEmpty()) {
                    throw error(i, "pending needs a reason");
                }
                pending = Optional.of(value(d));
                return i + 1;
            }
            if (lower.startsWith("keyspaces:")) {
                requireCase(i, "keyspaces");
                if (value(d).isEmpty()) {
                    throw error(i, "keyspaces needs a reason (how Amazon Keyspaces differs from Cassandra)");
                }
                if (keyspaces.isPresent()) {
                    throw error(i, "keyspaces: given twice");
                }
                keyspaces = Optional.of(value(d));
                return i + 1;
            }
            if (lower.startsWith("page size:")) {
                requireCase(i, "page size");
                try {
                    pageSize = OptionalInt.of(Integer.parseInt(value(d)));
                } catch (NumberFormatException e) {
                    throw error(i, "page size is not a number: " + value(d));
                }
                return i + 1;
            }
            if (lower.startsWith("warning:")) {
                requireCase(i, "warning");
                if (value(d).isEmpty()) {
                    throw error(i, "warning needs a fragment of the expected warning");
                }
                warning = Optional.of(value(d));
                return i + 1;
            }
            if (lower.startsWith("consistency:")) {
                requireCase(i, "consistency");
                consistency = Optional.of(value(d).toUpperCase(Locale.ROOT));
                return i + 1;
            }
            if (lower.startsWith("markers:")) {
                requireCase(i, "markers");
                nextMarkers = Optional.of(value(d).isEmpty() ? List.of() : splitTopLevel(value(d), '|'));
                return i + 1;
            }
            if (lower.startsWith("bind:")) {
                String v = value(d);
                nextBinds = Optional.of(v.isEmpty() ? List.of() : splitTopLevel(v, ','));
                return i + 1;
            }
            if (lower.startsWith("expect ") && !isDirective(d)) {
                throw error(i, "unknown expectation: " + d); // a misspelt directive must not become a comment
            }
            if (isDirective(d) && lower.startsWith("expect")) {
                requireCase(i, "expect");
                requireNoExpectation(i);
                if (steps.isEmpty()) {
                    throw error(i, "expectation before any statement");
                }
                return expectation(i, d, lower);
            }
            return i + 1; // a comment
        }

        private int expectation(int i, String d, String lower) {
            if (lower.equals("expect ok")) {
                expectation = new Expectation.Ok();
                return i + 1;
            }
            if (lower.startsWith("expect error:")) {
                String v = value(d);
                int quote = v.indexOf('"');
                String code = (quote < 0 ? v : v.substring(0, quote)).strip();
                String message = "";
                if (quote >= 0) {
                    if (!v.endsWith("\"") || v.length() - quote < 2) {
                        throw error(i, "unterminated message in: " + v);
                    }
                    message = v.substring(quote + 1, v.length() - 1);
                }
                if (!code.matches("[A-Z_]+")) {
                    throw error(i, "bad error code '" + code + "'");
                }
                expectation = new Expectation.Error(code, message);
                return i + 1;
            }
            boolean ordered;
            if (lower.equals("expect rows:")) {
                ordered = true;
            } else if (lower.equals("expect rows unordered:")) {
                ordered = false;
            } else {
                throw error(i, "unknown expectation: " + d);
            }
            int j = i + 1;
            List<String> block = new ArrayList<>();
            while (j < lines.length && lines[j].strip().startsWith("--") && !lines[j].strip().equals("--")
                    && !isDirective(lines[j].strip().substring(2).strip())) {
                block.add(lines[j].strip().substring(2).strip());
                j++;
            }
            if (block.isEmpty()) {
                throw error(i, "expect rows needs a header line of column names");
            }
            List<String> columns = splitTopLevel(block.get(0), '|');
            List<List<String>> rows = new ArrayList<>();
            for (int r = 1; r < block.size(); r++) {
                List<String> row = splitTopLevel(block.get(r), '|');
                if (row.size() != columns.size()) {
                    throw error(i + 1 + r, row.size() + " values for " + columns.size() + " columns");
                }
                rows.add(row);
            }
            expectation = new Expectation.Rows(columns, rows, ordered);
            return j;
        }

        private static boolean isDirective(String d) {
            String lower = d.toLowerCase(Locale.ROOT);
            for (String p : List.of("case:", "setup:", "sleep:", "types:", "pending:", "keyspaces:", "page size:", "consistency:", "warning:", "markers:", "bind:",
                    "expect ok", "expect error:", "expect rows:", "expect rows unordered:")) {
                if (lower.startsWith(p)) {
                    return true;
                }
            }
            return false;
        }

        private int statement(int start) {
            StringBuilder sb = new StringBuilder();
            int i = start;
            boolean batch = lines[start].strip().toUpperCase(Locale.ROOT).startsWith("BEGIN");
            while (true) {
                if (i >= lines.length) {
                    throw error(start, "statement does not end with ';'");
                }
                String line = lines[i].strip();
                if (line.startsWith("--")) {
                    throw error(i, "directive inside a statement (missing ';' above?)");
                }
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(lines[i]);
                i++;
                boolean end = line.endsWith(";")
                        && (!batch || line.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ").endsWith("APPLY BATCH;"));
                if (end) {
                    break;
                }
            }
            ConformanceCase.Step step;
            try {
                step = new ConformanceCase.Step(stripSemicolon(sb.toString().strip()), nextBinds, nextMarkers, start + 1, 0);
            } catch (IllegalArgumentException e) {
                throw error(start, e.getMessage());
            }
            nextBinds = Optional.empty();
            nextMarkers = Optional.empty();
            if (caseName == null) {
                if (step.binds().isPresent()) {
                    throw error(start, "fixture statements cannot be prepared");
                }
                fixture.add(step);
            } else {
                requireNoExpectation(start);
                steps.add(step);
                sawStatement = true;
            }
            return i;
        }

        private void finishCase(int i) {
            if (nextBinds.isPresent() || nextMarkers.isPresent()) {
                throw error(i - 1, "bind: or markers: without a following statement");
            }
            if (caseName == null) {
                return;
            }
            if (expectation == null) {
                throw error(caseLine - 1, "case '" + caseName + "' has no expectation");
            }
            cases.add(new ConformanceCase(fileName, caseName, caseLine, steps, expectation, pending, keyspaces, pageSize,
                    consistency, warning));
            caseName = null;
        }

        private void requireCase(int i, String what) {
            if (caseName == null) {
                throw error(i, what + " outside a case");
            }
        }

        private void requireNoExpectation(int i) {
            if (expectation != null) {
                throw error(i, "statement or setup after the expectation of case '" + caseName + "'");
            }
        }

        private static String value(String d) {
            return d.substring(d.indexOf(':') + 1).strip();
        }

        private static String stripSemicolon(String s) {
            String t = s.strip();
            return t.endsWith(";") ? t.substring(0, t.length() - 1).strip() : t;
        }

        private IllegalArgumentException error(int i, String message) {
            return new IllegalArgumentException(fileName + ".cql:" + (i + 1) + ": " + message);
        }
    }
}
