package com.example.orders.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.test.web.servlet.ResultMatcher;

/**
 * What every error of the api is (docs/API.md): application/problem+json (RFC 9457) with type,
 * title, status and detail, and nothing a client should not see (no stack trace, no SQL).
 */
public final class ProblemMatchers {

  private ProblemMatchers() {}

  /** The status, the problem type {@code /problems/<type>}, and the RFC 9457 shape. */
  public static ResultMatcher problem(int status, String type) {
    return result -> {
      String body = result.getResponse().getContentAsString();
      assertThat(result.getResponse().getStatus()).as(body).isEqualTo(status);
      assertThat(result.getResponse().getContentType()).as(body).startsWith("application/problem+json");
      Map<String, Object> problem = JsonPath.read(body, "$");
      assertThat(problem.get("type")).as(body).isEqualTo("/problems/" + type);
      assertThat(problem.get("title")).as(body).isInstanceOf(String.class).asString().isNotBlank();
      assertThat(problem.get("status")).as(body).isEqualTo(status);
      assertThat(problem.get("detail")).as(body).isInstanceOf(String.class).asString().isNotBlank();
      assertThat(body).doesNotContain("Exception").doesNotContain("at com.").doesNotContain("at org.")
          .doesNotContain("SELECT ");
    };
  }

  /** A 400 whose {@code errors} name exactly these JSON Pointers (each at least once), in any order. */
  public static ResultMatcher invalidFields(String... pointers) {
    return result -> {
      problem(400, "invalid-request").match(result);
      List<String> named = JsonPath.read(result.getResponse().getContentAsString(), "$.errors[*].pointer");
      assertThat(Set.copyOf(named)).as(result.getResponse().getContentAsString()).containsExactlyInAnyOrder(pointers);
    };
  }

  /** 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and a problem body. */
  public static ResultMatcher unauthorized() {
    return result -> {
      problem(401, "unauthorized").match(result);
      assertThat(result.getResponse().getHeader("WWW-Authenticate")).as("WWW-Authenticate").startsWith("Bearer");
    };
  }

  /** 403: a valid token without the right. */
  public static ResultMatcher forbidden() {
    return problem(403, "forbidden");
  }
}
