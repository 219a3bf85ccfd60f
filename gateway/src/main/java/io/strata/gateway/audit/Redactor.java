package io.strata.gateway.audit;

import java.util.regex.Pattern;

/**
 * Replaces the literal values of a CQL statement with {@code ?}, keeping its shape: string literals
 * ({@code '...'} with {@code ''} escapes, {@code $$...$$}), numbers (with sign, fraction, exponent, and duration
 * units such as {@code 1h30m}), {@code NaN}, {@code Infinity}, blobs ({@code 0x...}), uuids, {@code true} and
 * {@code false}, and whole collection literals ({@code [...]}, {@code {...}}) become one {@code ?}. Identifiers,
 * double-quoted names, keywords, operators and bind markers stay; comments are dropped (they could hold anything).
 * A lexer-level pass, not a parse: it never fails, and an unterminated literal is redacted to the end.
 * Stateless and thread-safe.
 */
public final class Redactor {
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** After these (or at the start), a '-' before a digit is a sign, not a subtraction. */
    private static final String SIGN_CONTEXT = "=(,<>[{:+-*/";

    private Redactor() {
    }

    /** {@code cql} with its literals replaced by {@code ?}; null for null. */
    public static String redact(String cql) {
        if (cql == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(cql.length());
        int i = 0;
        int n = cql.length();
        while (i < n) {
            char c = cql.charAt(i);
            if (c == '\'' || (c == '$' && i + 1 < n && cql.charAt(i + 1) == '$')) {
                i = skipString(cql, i);
                out.append('?');
            } else if (c == '"') {
                int end = skipQuoted(cql, i, '"');
                out.append(cql, i, end);
                i = end;
            } else if ((c == '-' && i + 1 < n && cql.charAt(i + 1) == '-')
                    || (c == '/' && i + 1 < n && cql.charAt(i + 1) == '/')) {
                while (i < n && cql.charAt(i) != '\n') {
                    i++;
                }
                out.append(' ');
            } else if (c == '/' && i + 1 < n && cql.charAt(i + 1) == '*') {
                int end = cql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (isUuidAt(cql, i)) {
                i += 36;
                out.append('?');
            } else if (c == '0' && i + 1 < n && (cql.charAt(i + 1) == 'x' || cql.charAt(i + 1) == 'X')) {
                i = skipWord(cql, i);
                out.append('?');
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(cql.charAt(i + 1)))
                    || (c == '-' && i + 1 < n && (Character.isDigit(cql.charAt(i + 1)) || cql.charAt(i + 1) == '.'
                            || cql.startsWith("NaN", i + 1) || cql.startsWith("Infinity", i + 1))
                            && signContext(out))) {
                i = skipNumber(cql, i);
                out.append('?');
            } else if (c == '[' && !subscript(out)) {
                i = skipCollection(cql, i);
                out.append('?');
            } else if (c == '{') {
                i = skipCollection(cql, i);
                out.append('?');
            } else if (Character.isLetter(c) || c == '_') {
                int end = skipWord(cql, i);
                String word = cql.substring(i, end);
                out.append(isLiteralWord(word) ? "?" : word);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isLiteralWord(String word) {
        return word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false") || word.equals("NaN")
                || word.equals("Infinity");
    }

    private static boolean isUuidAt(String s, int i) {
        if (i + 36 > s.length() || (i > 0 && isWordChar(s.charAt(i - 1)))) {
            return false;
        }
        return UUID.matcher(s).region(i, i + 36).matches() && (i + 36 == s.length() || !isWordChar(s.charAt(i + 36)));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static int skipWord(String s, int i) {
        int n = s.length();
        while (i < n && isWordChar(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A number from {@code i}: sign, digits, fraction, exponent with sign, then any unit letters (durations). */
    private static int skipNumber(String s, int i) {
        int n = s.length();
        if (s.charAt(i) == '-') {
            i++;
        }
        while (i < n) {
            char c = s.charAt(i);
            boolean exponentSign = (c == '+' || c == '-') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')
                    && Character.isDigit(s.charAt(i - 2));
            if (isWordChar(c) || c == '.' || exponentSign) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    /** Whether a '-' here is a sign: the last non-blank output is an operator or opening, or there is none. */
    private static boolean signContext(StringBuilder out) {
        for (int j = out.length() - 1; j >= 0; j--) {
            char c = out.charAt(j);
            if (!Character.isWhitespace(c)) {
                return SIGN_CONTEXT.indexOf(c) >= 0;
            }
        }
        return true;
    }

    /** Whether a '[' here indexes (m['k'], l[0]) rather than opens a list literal. */
    private static boolean subscript(StringBuilder out) {
        int j = out.length() - 1;
        if (j < 0) {
            return false;
        }
        char c = out.charAt(j);
        return isWordChar(c) || c == '"' || c == ']';
    }

    /** Past the string literal at {@code i} ('...' with '' escapes, or $$...$$); to the end if unterminated. */
    private static int skipString(String s, int i) {
        if (s.charAt(i) == '$') {
            int end = s.indexOf("$$", i + 2);
            return end < 0 ? s.length() : end + 2;
        }
        return skipQuoted(s, i, '\'');
    }

    private static int skipQuoted(String s, int i, char quote) {
        int n = s.length();
        int j = i + 1;
        while (j < n) {
            if (s.charAt(j) == quote) {
                if (j + 1 < n && s.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return n;
    }

    /** Past the balanced [...] or {...} at {@code i}, skipping strings inside; to the end if unbalanced. */
    private static int skipCollection(String s, int i) {
        int n = s.length();
        int depth = 0;
        int j = i;
        while (j < n) {
            char c = s.charAt(j);
            if (c == '\'' || (c == '$' && j + 1 < n && s.charAt(j + 1) == '$')) {
                j = skipString(s, j);
                continue;
            }
            if (c == '"') {
                j = skipQuoted(s, j, '"');
                continue;
            }
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
                if (depth == 0) {
                    return j + 1;
                }
            }
            j++;
        }
        return n;
    }
}
