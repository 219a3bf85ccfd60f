package io.strata.tenancy.core;

import java.util.regex.Pattern;

/**
 * The rule for tenant names: a lowercase letter, then up to 47 lowercase letters, digits, {@code _} or
 * {@code -}. The name becomes part of storage paths and metric labels, so it is deliberately narrow.
 * Stateless and thread-safe.
 */
public final class TenantNames {
    /** The pattern a tenant name must match in full. */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9_-]{0,47}");

    private TenantNames() {}

    /** @return whether {@code name} is a well-formed tenant name ({@code null} is not) */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /**
     * @return {@code name} unchanged
     * @throws IllegalArgumentException if it is not a well-formed tenant name
     */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(
                    "invalid tenant name '" + name + "': must match " + PATTERN.pattern());
        }
        return name;
    }
}
