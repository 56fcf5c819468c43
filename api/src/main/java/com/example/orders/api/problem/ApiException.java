package com.example.orders.api.problem;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** A client-facing failure that carries its problem details. */
public class ApiException extends RuntimeException {
  private final transient ProblemDetail problem;

  public ApiException(HttpStatus status, String type, String title, String detail) {
    this(Problems.of(status, type, title, detail));
  }

  public ApiException(ProblemDetail problem) {
    super(problem.getDetail());
    this.problem = problem;
  }

  public static ApiException invalid(String detail, List<Problems.FieldError> errors) {
    return new ApiException(Problems.withErrors(
        Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail), errors));
  }

  /** A valid caller without the right: another customer's record, or an order for someone else. */
  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " does not exist");
  }

  public ProblemDetail problem() {
    return problem;
  }
}
