package io.strata.tenancy.core;

/** A tenant directory request that cannot be carried out; the message says why in terms an operator can act on. */
public sealed class TenantDirectoryException extends RuntimeException {
    private TenantDirectoryException(String message) {
        super(message);
    }

    public static final class NotFound extends TenantDirectoryException {
        public NotFound(String name) {
            super("tenant '" + name + "' does not exist");
        }
    }

    public static final class AlreadyExists extends TenantDirectoryException {
        public AlreadyExists(TenantRecord existing) {
            super("tenant '" + existing.name() + "' already exists"
                    + (existing.state() == TenantState.DELETED ? " (deleted on " + existing.changedAt()
                            + "; its name cannot be reused until its data is removed after the retention window)" : ""));
        }
    }

    public static final class InvalidTransition extends TenantDirectoryException {
        public InvalidTransition(TenantRecord tenant, TenantState next) {
            super("tenant '" + tenant.name() + "' is " + tenant.state().name().toLowerCase()
                    + " and cannot become " + next.name().toLowerCase());
        }
    }
}
