package io.strata.cql.expr;

import io.strata.cql.ast.ArithmeticOperator;
import io.strata.cql.request.CqlException;
import io.strata.cql.types.DataType;
import io.strata.cql.types.Durations;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * CQL arithmetic as Cassandra 4/5 defines it: {@code + - * / %} on numbers, {@code +} on text
 * (concatenation), and timestamps or dates plus or minus a duration.
 *
 * <p>Numbers: the result has the wider operand type (tinyint &lt; smallint &lt; int &lt; bigint &lt;
 * varint; any floating operand makes it float, or double if either is double; decimal, or varint mixed
 * with a floating type, makes it decimal). Integer results wrap on overflow; integer division by zero
 * fails as FUNCTION_FAILURE; floating division by zero is infinite. Decimal operands convert other numbers
 * through their double value (as Cassandra does) and division keeps at least 32 significant digits, then
 * drops trailing zeros. Stateless.
 */
public final class Arithmetic {
    private static final List<NativeType> INTEGERS = List.of(NativeType.TINYINT, NativeType.SMALLINT, NativeType.INT,
            NativeType.BIGINT, NativeType.VARINT);
    private static final int MIN_SIGNIFICANT_DIGITS = 32;
    private static final int MIN_SCALE = 32;
    private static final int MAX_SCALE = 1000;

    private Arithmetic() {}

    public static boolean isNumeric(DataType t) {
        return t instanceof NativeType n && (INTEGERS.contains(n) || n == NativeType.COUNTER || n == NativeType.FLOAT
                || n == NativeType.DOUBLE || n == NativeType.DECIMAL);
    }

    /**
     * The result type of {@code left op right}, or null when the operation is not defined for those types.
     */
    public static DataType resultType(ArithmeticOperator op, DataType left, DataType right) {
        if (isNumeric(left) && isNumeric(right)) {
            return numericType((NativeType) left, (NativeType) right);
        }
        if (op == ArithmeticOperator.ADD && isText(left) && isText(right)) {
            return NativeType.TEXT;
        }
        if ((op == ArithmeticOperator.ADD || op == ArithmeticOperator.SUBTRACT) && right == NativeType.DURATION
                && (left == NativeType.TIMESTAMP || left == NativeType.DATE)) {
            return left;
        }
        return null;
    }

    private static boolean isText(DataType t) {
        return t == NativeType.TEXT || t == NativeType.ASCII;
    }

    private static NativeType numericType(NativeType a, NativeType b) {
        a = a == NativeType.COUNTER ? NativeType.BIGINT : a;
        b = b == NativeType.COUNTER ? NativeType.BIGINT : b;
        if (a == NativeType.DECIMAL || b == NativeType.DECIMAL) {
            return NativeType.DECIMAL;
        }
        boolean floating = isFloating(a) || isFloating(b);
        if (floating && (a == NativeType.VARINT || b == NativeType.VARINT)) {
            return NativeType.DECIMAL;
        }
        if (floating) {
            return a == NativeType.DOUBLE || b == NativeType.DOUBLE ? NativeType.DOUBLE : NativeType.FLOAT;
        }
        return INTEGERS.indexOf(a) >= INTEGERS.indexOf(b) ? a : b;
    }

    private static boolean isFloating(NativeType t) {
        return t == NativeType.FLOAT || t == NativeType.DOUBLE;
    }

    /** Applies {@code op} to two non-null serialized operands; {@code type} is {@link #resultType}'s answer. */
    public static byte[] apply(ArithmeticOperator op, DataType leftType, byte[] left, DataType rightType, byte[] right,
            DataType type) {
        try {
            if (type == NativeType.TEXT) {
                byte[] out = new byte[left.length + right.length];
                System.arraycopy(left, 0, out, 0, left.length);
                System.arraycopy(right, 0, out, left.length, right.length);
                return out;
            }
            if (rightType == NativeType.DURATION) {
                return temporal(op, (NativeType) leftType, left, right);
            }
            return switch ((NativeType) type) {
                case TINYINT -> new byte[] {(byte) integer(op, longOf(leftType, left), longOf(rightType, right))};
                case SMALLINT -> ByteBuffer.allocate(2)
                        .putShort((short) integer(op, longOf(leftType, left), longOf(rightType, right))).array();
                case INT -> Values.ofInt((int) integer(op, longOf(leftType, left), longOf(rightType, right)));
                case BIGINT -> Values.ofLong(integer(op, longOf(leftType, left), longOf(rightType, right)));
                case VARINT -> varint(op, bigOf(leftType, left), bigOf(rightType, right)).toByteArray();
                case FLOAT -> ByteBuffer.allocate(4).putFloat((float) floating(op, doubleOf(leftType, left),
                        doubleOf(rightType, right))).array();
                case DOUBLE -> ByteBuffer.allocate(8).putDouble(floating(op, doubleOf(leftType, left),
                        doubleOf(rightType, right))).array();
                case DECIMAL -> Values.decimal(decimal(op, decimalOf(leftType, left), decimalOf(rightType, right)));
                default -> throw new IllegalStateException("not an arithmetic type: " + type);
            };
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new CqlException.FunctionFailure("system", "_" + op.name().toLowerCase(java.util.Locale.ROOT),
                    List.of(leftType.cql(), rightType.cql()), "the operation '" + leftType.cql() + " " + op.symbol() + " "
                            + rightType.cql() + "' failed: " + e.getMessage());
        }
    }

    private static long integer(ArithmeticOperator op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
            case MODULO -> a % b;
        };
    }

    private static BigInteger varint(ArithmeticOperator op, BigInteger a, BigInteger b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUBTRACT -> a.subtract(b);
            case MULTIPLY -> a.multiply(b);
            case DIVIDE -> a.divide(b);
            case MODULO -> a.remainder(b);
        };
    }

    private static double floating(ArithmeticOperator op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
            case MODULO -> a % b;
        };
    }

    private static BigDecimal decimal(ArithmeticOperator op, BigDecimal a, BigDecimal b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUBTRACT -> a.subtract(b);
            case MULTIPLY -> a.multiply(b);
            case MODULO -> a.remainder(b);
            case DIVIDE -> {
                int firstDigit = (a.precision() - a.scale()) - (b.precision() - b.scale());
                int scale = Math.max(Math.max(MIN_SIGNIFICANT_DIGITS - firstDigit, Math.max(a.scale(), b.scale())), MIN_SCALE);
                yield a.divide(b, Math.min(scale, MAX_SCALE), RoundingMode.HALF_UP).stripTrailingZeros();
            }
        };
    }

    private static byte[] temporal(ArithmeticOperator op, NativeType type, byte[] value, byte[] duration) {
        Durations.Duration d = Durations.deserialize(duration);
        if (op == ArithmeticOperator.SUBTRACT) {
            d = new Durations.Duration(-d.months(), -d.days(), -d.nanos());
        }
        if (type == NativeType.DATE) {
            if (d.nanos() != 0) {
                throw new IllegalArgumentException("The duration must have a day precision. Was: "
                        + Durations.format(duration));
            }
            long days = Integer.toUnsignedLong(ByteBuffer.wrap(value).getInt()) - (1L << 31);
            java.time.LocalDate date = java.time.LocalDate.ofEpochDay(days).plusMonths(d.months()).plusDays(d.days());
            return ByteBuffer.allocate(4).putInt((int) (date.toEpochDay() + (1L << 31))).array();
        }
        long millis = ByteBuffer.wrap(value).getLong();
        java.time.ZonedDateTime t = java.time.Instant.ofEpochMilli(millis).atZone(java.time.ZoneOffset.UTC)
                .plusMonths(d.months()).plusDays(d.days()).plusNanos(d.nanos());
        return Values.ofLong(t.toInstant().toEpochMilli());
    }

    private static long longOf(DataType t, byte[] v) {
        return switch ((NativeType) t) {
            case TINYINT -> v[0];
            case SMALLINT -> ByteBuffer.wrap(v).getShort();
            case INT -> ByteBuffer.wrap(v).getInt();
            case BIGINT, COUNTER -> ByteBuffer.wrap(v).getLong();
            default -> throw new IllegalStateException("not an integer: " + t);
        };
    }

    private static BigInteger bigOf(DataType t, byte[] v) {
        return t == NativeType.VARINT ? new BigInteger(v) : BigInteger.valueOf(longOf(t, v));
    }

    private static double doubleOf(DataType t, byte[] v) {
        return switch ((NativeType) t) {
            case FLOAT -> ByteBuffer.wrap(v).getFloat();
            case DOUBLE -> ByteBuffer.wrap(v).getDouble();
            case VARINT -> new BigInteger(v).doubleValue();
            case DECIMAL -> Values.decimal(v).doubleValue();
            default -> longOf(t, v);
        };
    }

    /** As Cassandra: a decimal is itself, a varint exact, any other number through its double value. */
    private static BigDecimal decimalOf(DataType t, byte[] v) {
        return switch ((NativeType) t) {
            case DECIMAL -> Values.decimal(v);
            case VARINT -> new BigDecimal(new BigInteger(v));
            default -> BigDecimal.valueOf(doubleOf(t, v));
        };
    }

    /** {@code -(x)}: the negated number (integers wrap, as Cassandra's negation does). */
    public static byte[] negate(DataType type, byte[] v) {
        return switch ((NativeType) type) {
            case TINYINT -> new byte[] {(byte) -v[0]};
            case SMALLINT -> ByteBuffer.allocate(2).putShort((short) -ByteBuffer.wrap(v).getShort()).array();
            case INT -> Values.ofInt(-ByteBuffer.wrap(v).getInt());
            case BIGINT, COUNTER -> Values.ofLong(-ByteBuffer.wrap(v).getLong());
            case VARINT -> new BigInteger(v).negate().toByteArray();
            case FLOAT -> ByteBuffer.allocate(4).putFloat(-ByteBuffer.wrap(v).getFloat()).array();
            case DOUBLE -> ByteBuffer.allocate(8).putDouble(-ByteBuffer.wrap(v).getDouble()).array();
            case DECIMAL -> Values.decimal(Values.decimal(v).negate());
            default -> throw new IllegalStateException("not a number: " + type);
        };
    }
}
