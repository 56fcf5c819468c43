package com.example.orders.api.security;

import com.example.orders.api.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401 and 403 as RFC 9457 problems, with the {@code WWW-Authenticate: Bearer ...} header RFC 6750
 * asks for (set by Spring Security's own bearer-token handlers, which write no body).
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
  private final BearerTokenAccessDeniedHandler denial = new BearerTokenAccessDeniedHandler();
  private final JsonMapper json;

  ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    challenge.commence(request, response, e);
    boolean tokenSent = request.getHeader("Authorization") != null;
    write(response, Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", tokenSent
        ? "The access token is not valid here (signature, issuer, audience or expiry); get a new one from the token endpoint"
        : "Send an access token: Authorization: Bearer <token>, from the token endpoint (docs/API.md, Who may call what)"));
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    denial.handle(request, response, e);
    write(response, forbidden());
  }

  static ProblemDetail forbidden() {
    return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
        "Your role does not allow this request (docs/API.md, Who may call what)");
  }

  private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    response.setContentType("application/problem+json");
    json.writeValue(response.getOutputStream(), problem);
  }
}
