package io.strata.cql.parse;

/** Lexical token kinds. Keywords are not token kinds: they are {@link #IDENT}s recognised by the parser. */
enum TokenType {
    IDENT("IDENT"),
    QUOTED_NAME("QUOTED_NAME"),
    STRING("STRING_LITERAL"),
    INTEGER("INTEGER"),
    FLOAT("FLOAT"),
    BOOLEAN("BOOLEAN"),
    DURATION("DURATION"),
    UUID("UUID"),
    HEX("HEXNUMBER"),
    QMARK("'?'"),
    COLON("':'"),
    DOT("'.'"),
    RANGE("'..'"),
    COMMA("','"),
    SEMICOLON("';'"),
    LPAREN("'('"),
    RPAREN("')'"),
    LBRACKET("'['"),
    RBRACKET("']'"),
    LBRACE("'{'"),
    RBRACE("'}'"),
    STAR("'*'"),
    EQ("'='"),
    NEQ("'!='"),
    LT("'<'"),
    LTE("'<='"),
    GT("'>'"),
    GTE("'>='"),
    PLUS("'+'"),
    MINUS("'-'"),
    PLUS_EQ("'+='"),
    MINUS_EQ("'-='"),
    SLASH("'/'"),
    PERCENT("'%'"),
    EOF("EOF");

    private final String displayName;

    TokenType(String displayName) {
        this.displayName = displayName;
    }

    /** How "expecting ..." error messages name this kind (Cassandra's grammar names where they exist). */
    String displayName() {
        return displayName;
    }
}
