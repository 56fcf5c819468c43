package com.example.orders.api.security;

import com.example.orders.api.problem.Problems;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring's CORS checks, with a refused cross-origin request answered as an RFC 9457 problem like
 * every other error, instead of the default plain-text "Invalid CORS request".
 */
final class ProblemCorsProcessor extends DefaultCorsProcessor {

  private final JsonMapper json;

  ProblemCorsProcessor(JsonMapper json) {
    this.json = json;
  }

  @Override
  protected void rejectRequest(ServerHttpResponse response) throws IOException {
    response.setStatusCode(HttpStatus.FORBIDDEN);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    json.writeValue(response.getBody(), Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
        "This origin may not call this endpoint from a browser: only the Temporal Web UI's origin may call the codec"));
    response.flush();
  }
}
