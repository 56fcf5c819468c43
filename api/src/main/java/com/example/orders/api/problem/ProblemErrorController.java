package com.example.orders.api.problem;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Requests refused before any controller (a URL the servlet container or Spring Security's firewall
 * rejects, such as one with an encoded semicolon or slash) end on the error page; it answers like
 * every other error of this api, as application/problem+json, instead of Spring Boot's own JSON.
 */
@RestController
@Hidden // not an operation of the api: where refused requests end
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
        ? HttpStatus.valueOf(value) : HttpStatus.NOT_FOUND; // asked for directly: there is nothing here
    ProblemDetail problem = status == HttpStatus.BAD_REQUEST
        ? Problems.of(status, "rejected-request", "Rejected request",
            "The request line is not acceptable here (for example an encoded ';' or '/' in the path): send a plain URL")
        : Problems.of(status, "http-" + status.value(), status.getReasonPhrase(), "The request could not be served");
    return ResponseEntity.status(status).body(problem); // written as application/problem+json, as ProblemHandler's
  }
}
