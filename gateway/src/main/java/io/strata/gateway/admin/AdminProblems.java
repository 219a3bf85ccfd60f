package io.strata.gateway.admin;

import io.strata.tenancy.core.TenantDirectoryException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Admin API errors as RFC 7807 problem documents ({@code application/problem+json}). Stateless. */
public class AdminProblems {
    /** An RFC 7807 problem document response. */
    public static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    @ServerExceptionMapper
    public Response tenant(TenantDirectoryException e) {
        if (e instanceof TenantDirectoryException.NotFound) {
            return problem(404, "Not Found", e.getMessage());
        }
        return problem(409, "Conflict", e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().isEmpty() ? e.getMessage()
                : e.getConstraintViolations().stream().map(ConstraintViolation::getMessage).sorted()
                        .collect(Collectors.joining("; "));
        return problem(400, "Bad Request", detail);
    }
}
