package io.strata.cql.ast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Defensive copying of {@code WITH} property maps: insertion order kept, nested maps copied too, read-only. */
final class PropertyMaps {
    private PropertyMaps() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> properties) {
        if (properties == null) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> copy.put(k, v instanceof Map<?, ?> m ? copy((Map<String, Object>) m) : v));
        return Collections.unmodifiableMap(copy);
    }
}
