package io.strata.cql.parse;

/**
 * One lexical token. {@code text} is the token's value: unescaped content for strings and quoted names,
 * the spelling as written otherwise (HEX without {@code 0x}); {@code lower} is the lower-cased text of an
 * IDENT (for keyword matching and identifier normalisation) and equals {@code text} for other kinds.
 * {@code start}/{@code end} delimit the source text; {@code line} is 1-based, {@code column} 0-based.
 */
record Token(TokenType type, String text, String lower, int start, int end, int line, int column) {

    boolean is(TokenType t) {
        return type == t;
    }

    /** True for an IDENT spelled like {@code keyword} (given in lower case), in any case. */
    boolean isKeyword(String keyword) {
        return type == TokenType.IDENT && lower.equals(keyword);
    }
}
