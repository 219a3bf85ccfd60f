package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import io.strata.cql.ast.Term;
import io.strata.cql.types.DataType;
import io.strata.cql.types.InvalidValueException;
import io.strata.cql.types.Literals;
import io.strata.cql.types.NativeType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Collects the bind variables of a statement while it is analysed: each marker gets the receiver it
 * binds to (a column, or a pseudo-column like {@code [limit]}), which becomes the PREPARED result's
 * variables metadata. Also turns terms into {@link ValueSource}s. Not thread-safe (one per analysis).
 */
final class Variables {
    private final ColumnSpec[] specs;
    private final String keyspace;
    private final String table;

    Variables(int count, String keyspace, String table) {
        this.specs = new ColumnSpec[count];
        this.keyspace = keyspace;
        this.table = table;
    }

    /** Variables of an already analysed (prepared) statement. */
    static Variables fromSpecs(List<ColumnSpec> specs) {
        Variables v = new Variables(specs.size(), null, null);
        for (int i = 0; i < specs.size(); i++) {
            v.specs[i] = specs.get(i);
        }
        return v;
    }

    List<ColumnSpec> specs() {
        List<ColumnSpec> out = new ArrayList<>(specs.length);
        for (int i = 0; i < specs.length; i++) {
            if (specs[i] == null) {
                throw CqlException.invalid("Bind variable " + (i + 1) + " is used in a position whose type cannot be inferred");
            }
            out.add(specs[i]);
        }
        return out;
    }

    int count() {
        return specs.length;
    }

    /** Index of the variable bound to {@code name} (for named values), or -1. */
    int indexOf(String name) {
        for (int i = 0; i < specs.length; i++) {
            if (specs[i] != null && specs[i].name.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    ValueSource source(Term term, DataType type, String receiver) {
        if (term instanceof Term.BindMarker m) {
            String name = m.name() != null ? m.name() : receiver;
            specs[m.index()] = new ColumnSpec(keyspace, table, name, m.index(), type.rawType());
            return new ValueSource.Bind(m.index(), name, type);
        }
        if (term instanceof Term.Literal l) {
            if (l.kind() == Term.Literal.Kind.NULL) {
                return new ValueSource.Constant(null);
            }
            if (!(type instanceof NativeType nt)) {
                throw CqlException.invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"" + receiver
                        + "\" of type " + type.cql());
            }
            try {
                return new ValueSource.Constant(Literals.parse(nt, Literals.Kind.valueOf(l.kind().name()), l.text()));
            } catch (InvalidValueException | IllegalArgumentException e) {
                throw CqlException.invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"" + receiver
                        + "\" of type " + type.cql());
            }
        }
        if (term instanceof Term.FunctionCall f) {
            String fn = f.name().toLowerCase(Locale.ROOT);
            if (f.args().isEmpty() && (fn.equals("now") || fn.equals("currenttimeuuid")) && isOneOf(type, NativeType.TIMEUUID)) {
                return new ValueSource.NowTimeUuid();
            }
            if (f.args().isEmpty() && fn.equals("uuid") && isOneOf(type, NativeType.UUID)) {
                return new ValueSource.RandomUuid();
            }
            if (isOneOf(type, NativeType.TIMESTAMP) && (fn.equals("currenttimestamp") && f.args().isEmpty()
                    || fn.equals("totimestamp") && f.args().size() == 1 && f.args().get(0) instanceof Term.FunctionCall inner
                    && inner.name().equalsIgnoreCase("now"))) {
                return new ValueSource.NowTimestamp();
            }
            throw CqlException.invalid("Function " + f.name() + " with these arguments is not supported for \"" + receiver
                    + "\" of type " + type.cql());
        }
        throw CqlException.invalid("Invalid value for \"" + receiver + "\" of type " + type.cql()
                + ": collection, tuple and UDT literals are not supported yet");
    }

    private static boolean isOneOf(DataType t, NativeType... types) {
        return Arrays.asList(types).contains(t);
    }
}
