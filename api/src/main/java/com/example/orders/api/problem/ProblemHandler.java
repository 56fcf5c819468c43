package com.example.orders.api.problem;

import io.grpc.Status;
import jakarta.validation.ConstraintViolationException;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowServiceException;
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
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

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

  /** A caller the token describes, but not as this needs (Caller refuses, say, a customer token without a customer id). */
  @ExceptionHandler(AccessDeniedException.class)
  ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e) {
    return problem(Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()));
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

  /** The SDK's typed calls (start, update, cancel) wrap the gRPC failure: answer as for the bare one. */
  @ExceptionHandler(WorkflowServiceException.class)
  ResponseEntity<ProblemDetail> temporal(WorkflowServiceException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException grpc) {
        return temporal(grpc);
      }
    }
    return unexpected(e);
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
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnrecognizedPropertyException unknown) {
        return invalidBody(List.of(new Problems.FieldError(pointer(unknown),
            "unknown field \"" + unknown.getPropertyName() + "\": this request has no such field")));
      }
      if (t instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
        return invalidBody(List.of(new Problems.FieldError(pointer(mismatch), expected(mismatch))));
      }
    }
    return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "malformed-body",
        "Malformed request body", "The body is not valid JSON of the expected shape"));
  }

  private static ResponseEntity<Object> invalidBody(List<Problems.FieldError> errors) {
    return ResponseEntity.badRequest().body(Problems.withErrors(Problems.of(HttpStatus.BAD_REQUEST,
        "invalid-request", "Invalid request", "The request has " + errors.size() + " invalid field(s)"), errors));
  }

  /** The JSON Pointer (RFC 6901) of where Jackson stopped, e.g. /items/0/quantity. */
  private static String pointer(JacksonException e) {
    StringBuilder pointer = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      pointer.append('/').append(reference.getPropertyName() != null
          ? reference.getPropertyName().replace("~", "~0").replace("/", "~1")
          : String.valueOf(reference.getIndex()));
    }
    return pointer.toString();
  }

  private static String expected(MismatchedInputException e) {
    Class<?> type = e.getTargetType();
    if (type == null) {
      return "has the wrong type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "must be a whole number";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "must be a number";
    }
    if (type == String.class) {
      return "must be a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "must be an array";
    }
    return "must be an object of the documented shape";
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
