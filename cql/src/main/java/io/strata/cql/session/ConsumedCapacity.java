package io.strata.cql.session;

import io.strata.cql.capacity.CapacityUnits;
import io.strata.cql.request.RequestContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The capacity a request consumed, sent back in the response frame's custom payload (protocol v4+), so that a
 * client sees what each query cost: {@value #READ} and {@value #WRITE} as decimal text in UTF-8 ("0.5", "3"), and
 * {@value #THROTTLED} ("read" or "write") when the request was throttled instead of run (drivers that expose the
 * payload of error responses show it; the Java driver 4 does not). Requests that touched no
 * user table (system tables, DDL) carry no payload. Stateless.
 */
final class ConsumedCapacity {
    static final String READ = "strata-consumed-rcu";
    static final String WRITE = "strata-consumed-wcu";
    static final String THROTTLED = "strata-throttled";

    /** Set by a capacity guard on a request it throttled: which operation ran out. */
    static final RequestContext.Key<String> THROTTLED_KEY = RequestContext.THROTTLED;

    private ConsumedCapacity() {}

    static Map<String, ByteBuffer> payload(RequestContext rc) {
        String throttled = rc.attachment(THROTTLED_KEY).orElse(null);
        CapacityUnits units = rc.capacity();
        if (throttled == null && units.equals(CapacityUnits.NONE)) {
            return Map.of();
        }
        Map<String, ByteBuffer> out = new LinkedHashMap<>(4);
        out.put(READ, text(units.readUnits() == Math.rint(units.readUnits())
                ? Long.toString((long) units.readUnits()) : Double.toString(units.readUnits())));
        out.put(WRITE, text(Long.toString(units.writeUnits())));
        if (throttled != null) {
            out.put(THROTTLED, text(throttled));
        }
        return out;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
