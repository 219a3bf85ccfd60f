package io.strata.cql.ast;

/** The arithmetic operators of terms and selectors, with their spelling and precedence. */
public enum ArithmeticOperator {
    ADD("+", 1), SUBTRACT("-", 1), MULTIPLY("*", 2), DIVIDE("/", 2), MODULO("%", 2);

    private final String symbol;
    private final int precedence;

    ArithmeticOperator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    /** The operator as written. */
    public String symbol() {
        return symbol;
    }

    /** Higher binds tighter: {@code * / %} over {@code + -}. */
    public int precedence() {
        return precedence;
    }
}
