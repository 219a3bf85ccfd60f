package io.strata.cql.exec;

import io.smallrye.mutiny.Uni;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.RequestContext;

/**
 * A check every plan passes before it runs: where access policies (may this principal do this to that
 * table?) and capacity metering (is there capacity left, and what does this request cost?) plug in. A
 * guard fails the stage with a {@code CqlException} to refuse the request, and may attach its decision to
 * the {@link RequestContext} for later stages. Guards run in order, each traced by name. Implementations
 * must be thread-safe and must not block.
 */
public interface PlanGuard {
    /** A short name for traces ("access check", "capacity check"). */
    String name();

    Uni<Void> check(RequestContext context, Plan plan);

    /**
     * Told once the request ended, whether it ran or was refused (by this guard or another): what an audit trail
     * records as the outcome. Must be quick and must not throw (a failure here is logged and ignored).
     *
     * @param failure why the request failed (a refusing guard's {@code CqlException} included), or null
     */
    default void completed(RequestContext context, Plan plan, Throwable failure) {
    }
}
