package io.strata.cql.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class TestLexer {

    private static Token single(String text) {
        List<Token> tokens = Lexer.tokenize(text);
        assertThat(tokens).as("tokens of %s", text).hasSize(2);
        assertThat(tokens.get(1).type()).isEqualTo(TokenType.EOF);
        return tokens.get(0);
    }

    private static List<TokenType> types(String text) {
        return Lexer.tokenize(text).stream().map(Token::type).toList();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "42|INTEGER|42",
            "0|INTEGER|0",
            "1.5|FLOAT|1.5",
            "1.|FLOAT|1.",
            "1e10|FLOAT|1e10",
            "1.5E-3|FLOAT|1.5E-3",
            "2e+7|FLOAT|2e+7",
            "0xCAFE|HEX|CAFE",
            "0x|HEX|``",
            "0Xab01|HEX|ab01",
            "123e4567-e89b-12d3-a456-426614174000|UUID|123e4567-e89b-12d3-a456-426614174000",
            "ABCDEF01-e89b-12d3-a456-426614174000|UUID|ABCDEF01-e89b-12d3-a456-426614174000",
            "1h|DURATION|1h",
            "1h30m|DURATION|1h30m",
            "2y3mo|DURATION|2y3mo",
            "12ms|DURATION|12ms",
            "5us|DURATION|5us",
            "5\u00b5s|DURATION|5\u00b5s",
            "7ns|DURATION|7ns",
            "3W|DURATION|3W",
            "1D2H|DURATION|1D2H",
            "P1Y2M3DT4H5M6S|DURATION|P1Y2M3DT4H5M6S",
            "P1Y|DURATION|P1Y",
            "PT2S|DURATION|PT2S",
            "P3W|DURATION|P3W",
            "P0001-02-03T04:05:06|DURATION|P0001-02-03T04:05:06",
            "P|IDENT|P",
            "P1Dx|IDENT|P1Dx",
            "p1d|IDENT|p1d",
            "Price|IDENT|Price",
            "TRUE|BOOLEAN|true",
            "False|BOOLEAN|false",
            "trueish|IDENT|trueish",
            "my_Table2|IDENT|my_Table2",
            "'it''s'|STRING|it's",
            "''|STRING|``",
            "$$it's $ \"raw\"$$|STRING|it's $ \"raw\"",
            "\"My\"\"Col\"|QUOTED_NAME|My\"Col",
    })
    void literalsAndWords(String text, TokenType type, String value) {
        Token token = single(text);
        assertThat(token.type()).isEqualTo(type);
        assertThat(token.text()).isEqualTo(value == null ? "" : value);
    }

    @Test
    void identifiersKeepTheirSpellingAndALowerCaseForm() {
        Token token = single("SeLeCt");
        assertThat(token.text()).isEqualTo("SeLeCt");
        assertThat(token.lower()).isEqualTo("select");
        assertThat(token.isKeyword("select")).isTrue();
    }

    @Test
    void minusIsAlwaysItsOwnToken() {
        assertThat(types("-1")).containsExactly(TokenType.MINUS, TokenType.INTEGER, TokenType.EOF);
        assertThat(types("c-1")).containsExactly(TokenType.IDENT, TokenType.MINUS, TokenType.INTEGER, TokenType.EOF);
        assertThat(types("-=")).containsExactly(TokenType.MINUS_EQ, TokenType.EOF);
        assertThat(types("=-1")).containsExactly(TokenType.EQ, TokenType.MINUS, TokenType.INTEGER, TokenType.EOF);
    }

    @Test
    void rangeAfterAnIntegerIsNotAFloat() {
        assertThat(types("1..3")).containsExactly(TokenType.INTEGER, TokenType.RANGE, TokenType.INTEGER, TokenType.EOF);
        assertThat(types("[..3]"))
                .containsExactly(TokenType.LBRACKET, TokenType.RANGE, TokenType.INTEGER, TokenType.RBRACKET, TokenType.EOF);
    }

    @Test
    void operators() {
        assertThat(types("= != < <= > >= + += * / % ? : . , ; ( ) [ ] { }")).containsExactly(
                TokenType.EQ, TokenType.NEQ, TokenType.LT, TokenType.LTE, TokenType.GT, TokenType.GTE,
                TokenType.PLUS, TokenType.PLUS_EQ, TokenType.STAR, TokenType.SLASH, TokenType.PERCENT,
                TokenType.QMARK, TokenType.COLON, TokenType.DOT, TokenType.COMMA, TokenType.SEMICOLON,
                TokenType.LPAREN, TokenType.RPAREN, TokenType.LBRACKET, TokenType.RBRACKET, TokenType.LBRACE,
                TokenType.RBRACE, TokenType.EOF);
    }

    @Test
    void nestedTypeClosersAreSeparateTokens() {
        assertThat(types("frozen<list<int>>")).containsExactly(TokenType.IDENT, TokenType.LT, TokenType.IDENT,
                TokenType.LT, TokenType.IDENT, TokenType.GT, TokenType.GT, TokenType.EOF);
    }

    @Test
    void commentsAreSkipped() {
        assertThat(types("a -- line\n b // other\n c /* block\n over lines */ d"))
                .containsExactly(TokenType.IDENT, TokenType.IDENT, TokenType.IDENT, TokenType.IDENT, TokenType.EOF);
        assertThat(types("a -- comment at the end")).containsExactly(TokenType.IDENT, TokenType.EOF);
    }

    @Test
    void positionsAreLineAndZeroBasedColumn() {
        List<Token> tokens = Lexer.tokenize("SELECT a\n  FROM 'x\ny' t");
        assertThat(tokens.get(0)).extracting(Token::line, Token::column).containsExactly(1, 0);
        assertThat(tokens.get(1)).extracting(Token::line, Token::column).containsExactly(1, 7);
        assertThat(tokens.get(2)).extracting(Token::line, Token::column).containsExactly(2, 2);
        assertThat(tokens.get(3)).extracting(Token::line, Token::column).containsExactly(2, 7);
        // the string spans a line break: the next token is on line 3
        assertThat(tokens.get(4)).extracting(Token::line, Token::column).containsExactly(3, 3);
    }

    @Test
    void lexicalErrorOnALaterLineCountsLines() {
        assertThatThrownBy(() -> Lexer.tokenize("SELECT a\n  # b"))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessage("line 2:2 token recognition error at: '#'")
                .satisfies(e -> {
                    assertThat(((CqlSyntaxException) e).line()).isEqualTo(2);
                    assertThat(((CqlSyntaxException) e).column()).isEqualTo(2);
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "SELECT 'abc|line 1:7 unterminated string literal",
            "SELECT $$abc|line 1:7 unterminated string literal",
            "SELECT \"abc|line 1:7 unterminated quoted identifier",
            "SELECT /* abc|line 1:7 unterminated comment",
            "a ! b|line 1:2 token recognition error at: '!'",
            "caf\u00e9|line 1:3 token recognition error at: '\u00e9'",
    })
    void lexicalErrorsNameThePosition(String text, String messageStart) {
        assertThatThrownBy(() -> Lexer.tokenize(text))
                .isInstanceOf(CqlSyntaxException.class)
                .hasMessageStartingWith(messageStart);
    }
}
