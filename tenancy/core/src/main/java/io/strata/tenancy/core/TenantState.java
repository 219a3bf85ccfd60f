package io.strata.tenancy.core;

/**
 * Where a tenant is in its life. Only an {@link #ACTIVE} tenant's tokens open connections. A {@link #SUSPENDED}
 * tenant keeps its data and can be resumed; a {@link #DELETED} one is final: its data is removed after the
 * retention window and its name stays taken, so nobody else can claim it and read what is left.
 */
public enum TenantState {
    ACTIVE,
    SUSPENDED,
    DELETED;

    /** Whether an operator may move a tenant from this state to {@code next}. */
    public boolean canBecome(TenantState next) {
        return switch (this) {
            case ACTIVE -> next == SUSPENDED || next == DELETED;
            case SUSPENDED -> next == ACTIVE || next == DELETED;
            case DELETED -> false;
        };
    }
}
