package io.strata.gateway.admin;

import jakarta.ws.rs.core.Response;

/** {@link AdminProblems}' problem documents for resources outside this package. Stateless. */
public final class AdminProblemsAccess {
    private AdminProblemsAccess() {}

    /** An RFC 7807 problem document response. */
    public static Response problem(int status, String title, String detail) {
        return AdminProblems.problem(status, title, detail);
    }
}
