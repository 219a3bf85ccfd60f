package io.strata.cql.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits CQL text into {@link Token}s, following the lexical rules of Cassandra's CQL: case-insensitive
 * keywords (left as IDENTs), {@code '...'} strings with {@code ''} escapes, {@code $$...$$} strings,
 * {@code "..."} identifiers with {@code ""} escapes, blobs {@code 0x...}, UUIDs, integers, floats with
 * exponents, duration literals (both {@code 1h30m} and ISO-8601 {@code P...} forms), booleans, and
 * line ({@code --}, {@code //}) and block comments. A '-' is always its own token; the parser folds it
 * into a following numeric literal. Longest match wins, as in an ANTLR lexer.
 *
 * <p>Not thread-safe; use one instance per input.
 */
final class Lexer {
    private final String s;
    private final int n;
    private final List<Token> tokens;
    private int line = 1;
    private int lineStart;

    private Lexer(String source, List<Token> tokens) {
        this.s = source;
        this.n = source.length();
        this.tokens = tokens;
    }

    /** Tokenizes {@code source}; the list always ends with an EOF token. */
    static List<Token> tokenize(String source) {
        Lexer lexer = new Lexer(source, new ArrayList<>());
        lexer.run();
        return lexer.tokens;
    }

    /**
     * How many tokens {@code source} has (EOF not counted), without keeping them: memory stays constant
     * whatever the length, so the count can size a statement before it is parsed.
     */
    static int count(String source) {
        int[] count = {0};
        List<Token> counter = new java.util.AbstractList<>() {
            @Override
            public boolean add(Token t) {
                count[0]++;
                return true;
            }

            @Override
            public Token get(int index) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int size() {
                return count[0];
            }
        };
        new Lexer(source, counter).run();
        return count[0] - 1;
    }

    private void run() {
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\n') {
                newLine(i);
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                i++;
            } else if ((c == '-' && peekIs(i + 1, '-')) || (c == '/' && peekIs(i + 1, '/'))) {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && peekIs(i + 1, '*')) {
                i = blockComment(i);
            } else if (c == '\'') {
                i = quotedString(i);
            } else if (c == '$' && peekIs(i + 1, '$')) {
                i = dollarString(i);
            } else if (c == '"') {
                i = quotedName(i);
            } else if (isDigit(c)) {
                i = numberLike(i);
            } else if (isLetter(c)) {
                i = word(i);
            } else {
                i = punctuation(i, c);
            }
        }
        add(TokenType.EOF, "<EOF>", n, n);
    }

    private int blockComment(int start) {
        int startLine = line;
        int startColumn = start - lineStart;
        int i = start + 2;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '*' && peekIs(i + 1, '/')) {
                return i + 2;
            }
            if (c == '\n') {
                newLine(i);
            }
            i++;
        }
        throw new CqlSyntaxException(startLine, startColumn, "unterminated comment: mismatched character '<EOF>' expecting '*/'");
    }

    private int quotedString(int start) {
        int startLine = line;
        int startColumn = start - lineStart;
        StringBuilder b = null;
        int segment = start + 1;
        int i = start + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'') {
                if (peekIs(i + 1, '\'')) {
                    if (b == null) {
                        b = new StringBuilder();
                    }
                    b.append(s, segment, i + 1);
                    i += 2;
                    segment = i;
                    continue;
                }
                String text = b == null ? s.substring(start + 1, i) : b.append(s, segment, i).toString();
                tokens.add(new Token(TokenType.STRING, text, text, start, i + 1, startLine, startColumn));
                return i + 1;
            }
            if (c == '\n') {
                newLine(i);
            }
            i++;
        }
        throw new CqlSyntaxException(startLine, startColumn,
                "unterminated string literal: mismatched character '<EOF>' expecting '''");
    }

    private int dollarString(int start) {
        int startLine = line;
        int startColumn = start - lineStart;
        int i = start + 2;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '$' && peekIs(i + 1, '$')) {
                String text = s.substring(start + 2, i);
                tokens.add(new Token(TokenType.STRING, text, text, start, i + 2, startLine, startColumn));
                return i + 2;
            }
            if (c == '\n') {
                newLine(i);
            }
            i++;
        }
        throw new CqlSyntaxException(startLine, startColumn,
                "unterminated string literal: mismatched character '<EOF>' expecting '$$'");
    }

    private int quotedName(int start) {
        int startLine = line;
        int startColumn = start - lineStart;
        StringBuilder b = new StringBuilder();
        int i = start + 1;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                if (peekIs(i + 1, '"')) {
                    b.append('"');
                    i += 2;
                    continue;
                }
                String text = b.toString();
                tokens.add(new Token(TokenType.QUOTED_NAME, text, text, start, i + 1, startLine, startColumn));
                return i + 1;
            }
            if (c == '\n') {
                newLine(i);
            }
            b.append(c);
            i++;
        }
        throw new CqlSyntaxException(startLine, startColumn,
                "unterminated quoted identifier: mismatched character '<EOF>' expecting '\"'");
    }

    /** At a digit: UUID, blob, integer, float or duration. */
    private int numberLike(int start) {
        int uuidEnd = uuid(start);
        if (uuidEnd > 0) {
            return add(TokenType.UUID, s.substring(start, uuidEnd), start, uuidEnd);
        }
        char c = s.charAt(start);
        if (c == '0' && (peekIs(start + 1, 'x') || peekIs(start + 1, 'X'))) {
            int i = start + 2;
            while (i < n && isHex(s.charAt(i))) {
                i++;
            }
            return add(TokenType.HEX, s.substring(start + 2, i), start, i);
        }
        int i = digits(start);
        boolean isFloat = false;
        // "1..3" is INTEGER RANGE INTEGER (collection slices), not a float "1." followed by ".3"
        if (peekIs(i, '.') && !peekIs(i + 1, '.')) {
            isFloat = true;
            i = digits(i + 1);
        }
        int exponentEnd = exponent(i);
        if (exponentEnd > 0) {
            isFloat = true;
            i = exponentEnd;
        }
        if (isFloat) {
            return add(TokenType.FLOAT, s.substring(start, i), start, i);
        }
        int durationEnd = unitDuration(i);
        if (durationEnd > 0) {
            return add(TokenType.DURATION, s.substring(start, durationEnd), start, durationEnd);
        }
        return add(TokenType.INTEGER, s.substring(start, i), start, i);
    }

    /** At a letter: UUID, ISO-8601 duration, boolean or identifier/keyword. */
    private int word(int start) {
        int uuidEnd = uuid(start);
        if (uuidEnd > 0) {
            return add(TokenType.UUID, s.substring(start, uuidEnd), start, uuidEnd);
        }
        int i = start + 1;
        while (i < n && isIdentPart(s.charAt(i))) {
            i++;
        }
        if (s.charAt(start) == 'P') {
            int isoEnd = isoDuration(start);
            // ANTLR keeps the longest match and prefers DURATION over IDENT on a tie
            if (isoEnd >= i) {
                return add(TokenType.DURATION, s.substring(start, isoEnd), start, isoEnd);
            }
        }
        String text = s.substring(start, i);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            tokens.add(new Token(TokenType.BOOLEAN, lower, lower, start, i, line, start - lineStart));
            return i;
        }
        tokens.add(new Token(TokenType.IDENT, text, lower, start, i, line, start - lineStart));
        return i;
    }

    private int punctuation(int i, char c) {
        TokenType type;
        int length = 1;
        switch (c) {
            case '(' -> type = TokenType.LPAREN;
            case ')' -> type = TokenType.RPAREN;
            case '[' -> type = TokenType.LBRACKET;
            case ']' -> type = TokenType.RBRACKET;
            case '{' -> type = TokenType.LBRACE;
            case '}' -> type = TokenType.RBRACE;
            case ',' -> type = TokenType.COMMA;
            case ';' -> type = TokenType.SEMICOLON;
            case ':' -> type = TokenType.COLON;
            case '?' -> type = TokenType.QMARK;
            case '*' -> type = TokenType.STAR;
            case '/' -> type = TokenType.SLASH;
            case '%' -> type = TokenType.PERCENT;
            case '=' -> type = TokenType.EQ;
            case '.' -> {
                type = peekIs(i + 1, '.') ? TokenType.RANGE : TokenType.DOT;
                length = type == TokenType.RANGE ? 2 : 1;
            }
            case '<' -> {
                type = peekIs(i + 1, '=') ? TokenType.LTE : TokenType.LT;
                length = type == TokenType.LTE ? 2 : 1;
            }
            case '>' -> {
                type = peekIs(i + 1, '=') ? TokenType.GTE : TokenType.GT;
                length = type == TokenType.GTE ? 2 : 1;
            }
            case '+' -> {
                type = peekIs(i + 1, '=') ? TokenType.PLUS_EQ : TokenType.PLUS;
                length = type == TokenType.PLUS_EQ ? 2 : 1;
            }
            case '-' -> {
                type = peekIs(i + 1, '=') ? TokenType.MINUS_EQ : TokenType.MINUS;
                length = type == TokenType.MINUS_EQ ? 2 : 1;
            }
            case '!' -> {
                if (!peekIs(i + 1, '=')) {
                    throw recognitionError(i);
                }
                type = TokenType.NEQ;
                length = 2;
            }
            default -> throw recognitionError(i);
        }
        return add(type, s.substring(i, i + length), i, i + length);
    }

    private CqlSyntaxException recognitionError(int i) {
        String c = new String(Character.toChars(s.codePointAt(i)));
        return new CqlSyntaxException(line, i - lineStart, "token recognition error at: '" + c + "'");
    }

    /** End of a UUID starting at {@code i}, or -1. */
    private int uuid(int i) {
        if (i + 36 > n) {
            return -1;
        }
        for (int k = 0; k < 36; k++) {
            char c = s.charAt(i + k);
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return -1;
            }
        }
        return i + 36;
    }

    private int digits(int i) {
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** End of an exponent ({@code e[+-]?digits}) at {@code i}, or -1. */
    private int exponent(int i) {
        if (i >= n || (s.charAt(i) != 'e' && s.charAt(i) != 'E')) {
            return -1;
        }
        int k = i + 1;
        if (k < n && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
            k++;
        }
        int end = digits(k);
        return end > k ? end : -1;
    }

    /** After the leading digits of a number at {@code i}: the end of a {@code 1h30m}-style duration, or -1. */
    private int unitDuration(int i) {
        int unit = unitLength(i);
        if (unit == 0) {
            return -1;
        }
        int end = i + unit;
        while (true) {
            int afterDigits = digits(end);
            if (afterDigits == end) {
                return end;
            }
            int next = unitLength(afterDigits);
            if (next == 0) {
                return end;
            }
            end = afterDigits + next;
        }
    }

    /** Length of the duration unit at {@code i} (y, mo, w, d, h, m, s, ms, us, µs, ns; any case), or 0. */
    private int unitLength(int i) {
        if (i >= n) {
            return 0;
        }
        char a = Character.toLowerCase(s.charAt(i));
        char b = i + 1 < n ? Character.toLowerCase(s.charAt(i + 1)) : 0;
        if ((a == 'm' && (b == 'o' || b == 's')) || ((a == 'u' || a == '\u00b5' || a == 'n') && b == 's')) {
            return 2;
        }
        return switch (a) {
            case 'y', 'w', 'd', 'h', 'm', 's' -> 1;
            default -> 0;
        };
    }

    /**
     * End of an ISO-8601 duration at {@code i} (which holds 'P'), or -1: {@code PnYnMnDTnHnMnS} with
     * every part optional but at least one present, {@code PnW}, or {@code Pyyyy-mm-ddThh:mm:ss}.
     * Designators are upper case, as in Cassandra.
     */
    private int isoDuration(int i) {
        int k = i + 1;
        if (matchesPattern(k, "dddd-dd-ddTdd:dd:dd")) {
            return k + 19;
        }
        if (peekIs(k, 'T')) {
            return components(k + 1, "HMS");
        }
        int weekDigits = digits(k);
        if (weekDigits > k && peekIs(weekDigits, 'W')) {
            return weekDigits + 1;
        }
        int period = components(k, "YMD");
        if (period < 0) {
            return -1;
        }
        if (peekIs(period, 'T')) {
            int time = components(period + 1, "HMS");
            if (time > 0) {
                return time;
            }
        }
        return period;
    }

    /** Ordered {@code digits designator} pairs from {@code designators}, at least one; end or -1. */
    private int components(int i, String designators) {
        int pos = i;
        int next = 0;
        boolean matched = false;
        while (true) {
            int d = digits(pos);
            if (d == pos || d >= n) {
                break;
            }
            int index = designators.indexOf(s.charAt(d), next);
            if (index < 0) {
                break;
            }
            pos = d + 1;
            next = index + 1;
            matched = true;
        }
        return matched ? pos : -1;
    }

    private boolean matchesPattern(int i, String pattern) {
        if (i + pattern.length() > n) {
            return false;
        }
        for (int k = 0; k < pattern.length(); k++) {
            char p = pattern.charAt(k);
            char c = s.charAt(i + k);
            if (p == 'd' ? !isDigit(c) : c != p) {
                return false;
            }
        }
        return true;
    }

    private int add(TokenType type, String text, int start, int end) {
        tokens.add(new Token(type, text, text, start, end, line, start - lineStart));
        return end;
    }

    private void newLine(int newlineIndex) {
        line++;
        lineStart = newlineIndex + 1;
    }

    private boolean peekIs(int i, char c) {
        return i < n && s.charAt(i) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isIdentPart(char c) {
        return isLetter(c) || isDigit(c) || c == '_';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
