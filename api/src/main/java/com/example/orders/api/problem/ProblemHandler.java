package com.example.orders.api.problem;

import io.grpc.Status;
import jakarta.validation.ConstraintViolationException;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as application/problem+json: no stack traces, no SQL, and no 5xx for
 * anything a client could have sent.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ProblemDetail> api(ApiException e) {
    return ResponseEntity.status(e.problem().getStatus()).body(e.problem());
  }

  /** Path or query constraints (e.g. a malformed SKU in PUT /inventory/{sku}). */
  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
    List<Problems.FieldError> errors = e.getConstraintViolations().stream()
        .map(v -> new Problems.FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage()))
        .toList();
    return problem(Problems.withErrors(
        Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "Invalid parameters"), errors));
  }

  /** Tomcat refuses query strings it cannot parse (e.g. a parameter without a name). */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> malformedQuery(InvalidParameterException e) {
    return problem(Problems.of(HttpStatus.BAD_REQUEST, "malformed-query", "Malformed query string",
        "The query string could not be parsed"));
  }

  @ExceptionHandler(DataAccessException.class)
  ResponseEntity<ProblemDetail> database(DataAccessException e) {
    log.error("database failure", e);
    return problem(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
        "Database unavailable", "The order database did not answer; retry later"));
  }

  @ExceptionHandler(StatusRuntimeException.class)
  ResponseEntity<ProblemDetail> temporal(StatusRuntimeException e) {
    log.error("Temporal call failed: {}", e.getStatus());
    boolean unavailable = e.getStatus().getCode() == Status.Code.UNAVAILABLE
        || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED;
    return problem(Problems.of(unavailable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY,
        "temporal-unavailable", "Workflow service unavailable", "Temporal did not answer; retry later"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected failure", e);
    return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
        "The request failed on our side; it is logged"));
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Problems.FieldError> errors = new ArrayList<>();
    e.getBindingResult().getFieldErrors().forEach(f ->
        errors.add(new Problems.FieldError("/" + f.getField().replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"),
            f.getDefaultMessage())));
    e.getBindingResult().getGlobalErrors().forEach(g -> errors.add(new Problems.FieldError("", g.getDefaultMessage())));
    return ResponseEntity.badRequest().body(Problems.withErrors(
        Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
            "The request has " + errors.size() + " invalid field(s)"), errors));
  }

  @Override
  protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<Problems.FieldError> errors = new ArrayList<>();
    e.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(err ->
        errors.add(new Problems.FieldError(r.getMethodParameter().getParameterName(), err.getDefaultMessage()))));
    return ResponseEntity.badRequest().body(Problems.withErrors(
        Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "Invalid parameters"), errors));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RequestSizeLimitFilter.BodyTooLargeException) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(RequestSizeLimitFilter.tooLarge());
      }
    }
    return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body",
        "Malformed request body", "The body is not valid JSON of the expected shape"));
  }

  /** Gives Spring's own problems (405, 406, 415, ...) a type instead of about:blank. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
      problem.setType(java.net.URI.create("/problems/http-" + statusCode.value()));
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private static String lastNode(String propertyPath) {
    return propertyPath.substring(propertyPath.lastIndexOf('.') + 1);
  }

  private static ResponseEntity<ProblemDetail> problem(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus()).body(problem);
  }
}
