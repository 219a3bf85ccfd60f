package io.strata.cql.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.ast.ArithmeticOperator;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.ErrorCode;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Cassandra 5's arithmetic: result types, wrapping, division, decimals (values checked against 5.0.9). */
class TestArithmetic {
    private static DataType type(ArithmeticOperator op, DataType a, DataType b) {
        return Arithmetic.resultType(op, a, b);
    }

    @Test
    void theWiderOperandTypeWins() {
        assertThat(type(ArithmeticOperator.ADD, NativeType.TINYINT, NativeType.INT)).isEqualTo(NativeType.INT);
        assertThat(type(ArithmeticOperator.MULTIPLY, NativeType.SMALLINT, NativeType.TINYINT)).isEqualTo(NativeType.SMALLINT);
        assertThat(type(ArithmeticOperator.MULTIPLY, NativeType.INT, NativeType.FLOAT)).isEqualTo(NativeType.FLOAT);
        assertThat(type(ArithmeticOperator.ADD, NativeType.FLOAT, NativeType.DOUBLE)).isEqualTo(NativeType.DOUBLE);
        assertThat(type(ArithmeticOperator.MULTIPLY, NativeType.VARINT, NativeType.DOUBLE)).isEqualTo(NativeType.DECIMAL);
        assertThat(type(ArithmeticOperator.ADD, NativeType.COUNTER, NativeType.INT)).isEqualTo(NativeType.BIGINT);
        assertThat(type(ArithmeticOperator.ADD, NativeType.TEXT, NativeType.TEXT)).isEqualTo(NativeType.TEXT);
        assertThat(type(ArithmeticOperator.SUBTRACT, NativeType.TEXT, NativeType.TEXT)).isNull();
        assertThat(type(ArithmeticOperator.SUBTRACT, NativeType.DATE, NativeType.DURATION)).isEqualTo(NativeType.DATE);
        assertThat(type(ArithmeticOperator.MULTIPLY, NativeType.TIMESTAMP, NativeType.DURATION)).isNull();
    }

    @Test
    void integersWrapAndRefuseDivisionByZero() {
        byte[] r = Arithmetic.apply(ArithmeticOperator.ADD, NativeType.INT, Values.ofInt(7), NativeType.INT,
                Values.ofInt(Integer.MAX_VALUE), NativeType.INT);
        assertThat(ByteBuffer.wrap(r).getInt()).isEqualTo(-2147483642);
        assertThatThrownBy(() -> Arithmetic.apply(ArithmeticOperator.DIVIDE, NativeType.INT, Values.ofInt(7), NativeType.INT,
                Values.ofInt(0), NativeType.INT))
                .isInstanceOfSatisfying(CqlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FUNCTION_FAILURE))
                .hasMessage("the operation 'int / int' failed: / by zero");
    }

    @Test
    void decimalDivisionKeepsThirtyTwoDigitsThenDropsTrailingZeros() {
        assertThat(decimal(ArithmeticOperator.DIVIDE, "1", NativeType.INT, 3)).isEqualTo("0.33333333333333333333333333333333");
        assertThat(decimal(ArithmeticOperator.DIVIDE, "10.50", NativeType.INT, 3)).isEqualTo("3.5");
        assertThat(decimal(ArithmeticOperator.DIVIDE, "10.50", NativeType.INT, 4)).isEqualTo("2.625");
        // other numbers become decimals through their double value, as in Cassandra: 7 becomes 7.0
        assertThat(decimal(ArithmeticOperator.MULTIPLY, "1.10", NativeType.INT, 1)).isEqualTo("1.100");
    }

    private static String decimal(ArithmeticOperator op, String left, NativeType rightType, int right) {
        byte[] r = Arithmetic.apply(op, NativeType.DECIMAL, Values.decimal(new BigDecimal(left)), rightType,
                Values.ofInt(right), NativeType.DECIMAL);
        return Values.decimal(r).toPlainString();
    }
}
