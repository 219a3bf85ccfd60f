package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keyspaces' encryption at rest setting, {@code CUSTOM_PROPERTIES = {'encryption_specification': {'encryption_type':
 * 'AWS_OWNED_KMS_KEY' | 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_identifier': '...'}}}: validated and normalised.
 * Every table is encrypted at rest whatever it says (docs/security.md): {@code AWS_OWNED_KMS_KEY}, the default, is
 * the tenant's data key wrapped by the service's master key; {@code CUSTOMER_MANAGED_KMS_KEY} with a
 * {@code kms_key_identifier} wraps the table's data keys under the tenant's own key in the key provider (whether the
 * key exists and is the tenant's is checked against storage when the schema change is applied, not here).
 * Stateless.
 */
final class EncryptionProperties {
    static final String KEY = "encryption_specification";
    static final String TYPE = "encryption_type";
    static final String KMS_KEY = "kms_key_identifier";
    static final String SERVICE_KEY = "AWS_OWNED_KMS_KEY";
    static final String CUSTOMER_KEY = "CUSTOMER_MANAGED_KMS_KEY";
    private static final Set<String> KEYS = Set.of(TYPE, KMS_KEY);

    private EncryptionProperties() {}

    /** The options with a given encryption specification checked and normalised (upper-case type). */
    static Map<String, Object> validate(Map<String, Object> options) {
        if (!(options.get(CapacityProperties.CUSTOM) instanceof Map<?, ?> custom) || !custom.containsKey(KEY)) {
            return options;
        }
        if (!(custom.get(KEY) instanceof Map<?, ?> spec)) {
            throw CqlException.invalid("'" + KEY + "' must be a map such as {'" + TYPE + "': '" + SERVICE_KEY + "'}");
        }
        Map<String, String> given = new LinkedHashMap<>();
        spec.forEach((k, v) -> given.put(String.valueOf(k).toLowerCase(java.util.Locale.ROOT), String.valueOf(v)));
        for (String k : given.keySet()) {
            if (!KEYS.contains(k)) {
                throw CqlException.invalid("Unknown property '" + k + "' in '" + KEY + "'; known: " + TYPE + ", " + KMS_KEY);
            }
        }
        String type = given.getOrDefault(TYPE, "").toUpperCase(java.util.Locale.ROOT);
        if (type.equals(CUSTOMER_KEY)) {
            String id = given.getOrDefault(KMS_KEY, "").strip();
            if (id.isEmpty()) {
                throw CqlException.invalid("'" + KMS_KEY + "' is required with " + CUSTOMER_KEY);
            }
            if (id.length() > 2048) {
                throw CqlException.invalid("'" + KMS_KEY + "' is longer than 2048 characters");
            }
            return withSpec(options, custom, Map.of(TYPE, CUSTOMER_KEY, KMS_KEY, id));
        }
        if (!type.equals(SERVICE_KEY)) {
            throw CqlException.invalid("'" + TYPE + "' must be " + SERVICE_KEY + " or " + CUSTOMER_KEY + ", not '"
                    + given.getOrDefault(TYPE, "") + "'");
        }
        if (given.containsKey(KMS_KEY)) {
            throw CqlException.invalid("'" + KMS_KEY + "' goes only with " + CUSTOMER_KEY);
        }
        return withSpec(options, custom, Map.of(TYPE, SERVICE_KEY));
    }

    private static Map<String, Object> withSpec(Map<String, Object> options, Map<?, ?> custom, Map<String, String> spec) {
        Map<String, Object> normalised = new LinkedHashMap<>();
        custom.forEach((k, v) -> normalised.put(String.valueOf(k), v));
        normalised.put(KEY, new LinkedHashMap<>(spec));
        Map<String, Object> out = new LinkedHashMap<>(options);
        out.put(CapacityProperties.CUSTOM, normalised);
        return out;
    }
}
