package io.strata.cql.exec;

import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Restrictions;
import io.strata.cql.plan.Restrictions.Clustering;
import io.strata.cql.plan.Restrictions.KeyValues;
import io.strata.cql.plan.Restrictions.PartitionRestriction;
import io.strata.cql.plan.Restrictions.Range;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.TypedValues;
import io.strata.storage.spi.Bound;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.Slice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves a {@link Restrictions} model against one execution's bound values: the partition keys
 * (serialized as Cassandra does, in token order, deduplicated), the token range, the full clusterings a
 * write names, and the clustering slices a read or range deletion covers (sorted, in clustering order).
 * Keyspaces caps the partitions and clusterings an IN may expand to. Stateless.
 */
final class KeyResolver {
    /** Keyspaces' cap on the subqueries an IN expands to. */
    static final int MAX_IN_SUBQUERIES = 100;
    /** Keyspaces' limits. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;
    static final int MAX_CLUSTERING_BYTES = 850;
    private static final List<Slice> ALL = List.of(Slice.ALL);

    private KeyResolver() {}

    /**
     * The partitions named by EQ/IN on every key column, deduplicated, in Cassandra's order for IN: by the
     * key values, component by component, each in its type's order (not by token).
     */
    static List<PartitionKey> partitionKeys(TableMetadata t, PartitionRestriction.Keys keys, Bindings b, EvalContext ctx) {
        if (keys.token() == null && keys.single()) {
            // the common case, one partition by EQ: nothing to combine, order or deduplicate
            List<KeyValues> columns = keys.columns();
            List<byte[]> parts = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                parts.add(nonNull(columns.get(i).values().get(0).resolve(b, ctx), t.partitionKey().get(i)));
            }
            return List.of(partitionKey(parts));
        }
        List<List<byte[]>> combos = product(t.partitionKey(), keys.columns(), b, ctx);
        List<java.util.Comparator<byte[]>> orders = t.partitionKey().stream()
                .map(c -> TypedValues.comparator(c.type())).toList();
        TreeMap<List<byte[]>, PartitionKey> sorted = new TreeMap<>((x, y) -> {
            for (int i = 0; i < x.size(); i++) {
                int c = orders.get(i).compare(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        PartitionSelection.TokenRange within = keys.token() == null ? null : tokenRange(keys.token(), b, ctx);
        for (List<byte[]> combo : combos) {
            PartitionKey k = partitionKey(combo);
            if (within == null || within.contains(k.token())) {
                sorted.putIfAbsent(combo, k);
            }
        }
        return List.copyOf(sorted.values());
    }

    static PartitionKey partitionKey(List<byte[]> parts) {
        byte[] key = PartitionKeys.serialize(parts);
        if (key.length > MAX_PARTITION_KEY_BYTES) {
            throw CqlException.invalid("Partition key is " + key.length + " bytes; the maximum is "
                    + MAX_PARTITION_KEY_BYTES + " bytes");
        }
        if (key.length == 0) {
            throw CqlException.invalid("Key may not be empty");
        }
        return PartitionKey.of(key);
    }

    /** The cartesian product of the values of consecutive key columns. */
    private static List<List<byte[]>> product(List<ColumnMetadata> columns, List<KeyValues> restricted, Bindings b,
            EvalContext ctx) {
        List<List<byte[]>> combos = new ArrayList<>();
        combos.add(List.of());
        for (int i = 0; i < restricted.size(); i++) {
            List<byte[]> values = values(restricted.get(i), columns.get(i), b, ctx);
            List<List<byte[]>> next = new ArrayList<>(combos.size() * values.size());
            for (List<byte[]> p : combos) {
                for (byte[] v : values) {
                    List<byte[]> q = new ArrayList<>(p.size() + 1);
                    q.addAll(p);
                    q.add(v);
                    next.add(q);
                }
            }
            combos = next;
            if (combos.size() > MAX_IN_SUBQUERIES) {
                throw tooManySubqueries(combos.size());
            }
        }
        return combos;
    }

    static CqlException tooManySubqueries(int n) {
        return CqlException.invalid("The IN restrictions of this query expand to " + n + " subqueries; at most "
                + MAX_IN_SUBQUERIES + " are allowed");
    }

    private static List<byte[]> values(KeyValues kv, ColumnMetadata c, Bindings b, EvalContext ctx) {
        List<byte[]> out = new ArrayList<>();
        if (kv.list() != null) {
            byte[] v = kv.list().resolve(b, ctx);
            if (v == null || Bindings.isUnset(v)) {
                throw CqlException.invalid("Invalid null value for IN restriction on " + c.name());
            }
            out.addAll(CollectionCodec.elements(v, false));
            return out;
        }
        for (ValueSource s : kv.values()) {
            out.add(nonNull(s.resolve(b, ctx), c));
        }
        return out;
    }

    static byte[] nonNull(byte[] v, ColumnMetadata c) {
        if (v == null) {
            throw CqlException.invalid("Invalid null value in condition for column " + c.name());
        }
        if (Bindings.isUnset(v)) {
            throw CqlException.invalid("Invalid unset value for column " + c.name());
        }
        return v;
    }

    /**
     * The clustering prefixes fixed by EQ/IN (or a multi-column IN), deduplicated, each as its values; one
     * empty prefix when nothing is fixed.
     */
    static List<List<byte[]>> prefixes(TableMetadata t, Clustering ck, Bindings b, EvalContext ctx) {
        List<List<byte[]>> prefixes;
        if (ck.multiIn() != null) {
            prefixes = new ArrayList<>();
            for (List<ValueSource> tuple : ck.multiIn()) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < tuple.size(); i++) {
                    p.add(nonNull(tuple.get(i).resolve(b, ctx), t.clustering().get(i)));
                }
                prefixes.add(p);
            }
            if (prefixes.size() > MAX_IN_SUBQUERIES) {
                throw tooManySubqueries(prefixes.size());
            }
        } else {
            prefixes = product(t.clustering(), ck.prefix(), b, ctx);
        }
        for (List<byte[]> p : prefixes) {
            for (byte[] v : p) {
                if (v.length > MAX_CLUSTERING_BYTES) {
                    throw CqlException.invalid("Clustering column value is " + v.length + " bytes; the maximum is "
                            + MAX_CLUSTERING_BYTES + " bytes");
                }
            }
        }
        return prefixes;
    }

    /** The encoded prefixes, deduplicated and in clustering order, each with its values. */
    static Map<byte[], List<byte[]>> encodedPrefixes(TableMetadata t, Clustering ck, Bindings b, EvalContext ctx) {
        TreeMap<byte[], List<byte[]>> sorted = new TreeMap<>(Arrays::compareUnsigned);
        for (List<byte[]> p : prefixes(t, ck, b, ctx)) {
            sorted.put(encode(t, p), p);
        }
        return new LinkedHashMap<>(sorted);
    }

    static byte[] encode(TableMetadata t, List<byte[]> values) {
        int n = values.size();
        return ComparableEncoding.encode(t.clusteringTypes().subList(0, n), t.clusteringDescending().subList(0, n), values);
    }

    /** Clustering slices for one execution, sorted and non-overlapping, in clustering order. */
    static List<Slice> slices(TableMetadata t, Clustering ck, Bindings b, EvalContext ctx) {
        if (ck.multiIn() == null && ck.prefix().isEmpty() && ck.range() == null) {
            return ALL;
        }
        List<Slice> out = new ArrayList<>();
        for (Map.Entry<byte[], List<byte[]>> e : encodedPrefixes(t, ck, b, ctx).entrySet()) {
            byte[] p = e.getKey();
            int n = e.getValue().size();
            out.add(ck.range() == null ? (n == 0 ? Slice.ALL : Slice.prefix(p)) : rangeSlice(t, ck.range(), e.getValue(), p,
                    b, ctx));
        }
        return out;
    }

    private static Slice rangeSlice(TableMetadata t, Range range, List<byte[]> prefix, byte[] p, Bindings bind,
            EvalContext ctx) {
        int n = prefix.size();
        Bound start = new Bound(p, true);
        Bound end = new Bound(p, true);
        boolean descending = t.clustering().get(n).descending();
        for (int side = 0; side < 2; side++) {
            Operator op = side == 0 ? range.startOp() : range.endOp();
            List<ValueSource> vs = side == 0 ? range.start() : range.end();
            if (op == null) {
                continue;
            }
            List<byte[]> with = new ArrayList<>(prefix);
            for (int i = 0; i < vs.size(); i++) {
                with.add(nonNull(vs.get(i).resolve(bind, ctx), t.clustering().get(n + i)));
            }
            Slice s = rangeSlice(p, encode(t, with), op, descending);
            if (!s.start().equals(new Bound(p, true))) {
                start = s.start();
            }
            if (!s.end().equals(new Bound(p, true))) {
                end = s.end();
            }
        }
        return new Slice(start, end);
    }

    /** The slice for {@code prefix AND c op v}; DESC columns flip the byte order, so they flip the side. */
    static Slice rangeSlice(byte[] prefix, byte[] bound, Operator op, boolean descending) {
        boolean lower = op == Operator.GT || op == Operator.GTE;
        boolean inclusive = op == Operator.GTE || op == Operator.LTE;
        if (descending) {
            lower = !lower;
        }
        Bound open = new Bound(prefix, true);
        Bound b = new Bound(bound, inclusive);
        return lower ? new Slice(b, open) : new Slice(open, b);
    }

    static PartitionSelection.TokenRange tokenRange(PartitionRestriction.TokenRange r, Bindings bind, EvalContext ctx) {
        long start = Long.MIN_VALUE;
        boolean startIncl = true;
        long end = Long.MAX_VALUE;
        boolean endIncl = true;
        if (r != null && r.start() != null) {
            start = tokenValue(r.start().value().resolve(bind, ctx));
            startIncl = r.start().op() == Operator.GTE;
        }
        if (r != null && r.end() != null) {
            end = tokenValue(r.end().value().resolve(bind, ctx));
            endIncl = r.end().op() == Operator.LTE;
        }
        return new PartitionSelection.TokenRange(start, startIncl, end, endIncl);
    }

    private static long tokenValue(byte[] v) {
        if (v == null || Bindings.isUnset(v) || v.length != 8) {
            throw CqlException.invalid("Invalid null or unset value for token()");
        }
        return ByteBuffer.wrap(v).getLong();
    }
}
