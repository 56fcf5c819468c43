package com.example.orders.api.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over 64 KiB with 413, whether the length is declared up front or the body
 * is streamed (chunked). A 50-line order is a few KiB.
 */
@Component
@Order(0)
class RequestSizeLimitFilter extends OncePerRequestFilter {

  static final long MAX_BODY_BYTES = 64 * 1024;

  static class BodyTooLargeException extends IOException {
    BodyTooLargeException() {
      super("request body over " + MAX_BODY_BYTES + " bytes");
    }
  }

  static ProblemDetail tooLarge() {
    return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
        "Request bodies are limited to " + MAX_BODY_BYTES + " bytes");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
      response.setContentType("application/problem+json");
      response.getWriter().write("{\"type\":\"/problems/body-too-large\",\"title\":\"Request body too large\","
          + "\"status\":413,\"detail\":\"Request bodies are limited to " + MAX_BODY_BYTES + " bytes\"}");
      return;
    }
    chain.doFilter(new LimitedRequest(request), response);
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private ServletInputStream limited;

    LimitedRequest(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (limited == null) {
        ServletInputStream in = super.getInputStream();
        limited = new ServletInputStream() {
          private long read;

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++read > MAX_BODY_BYTES) {
              throw new BodyTooLargeException();
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n > 0 && (read += n) > MAX_BODY_BYTES) {
              throw new BodyTooLargeException();
            }
            return n;
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
          }
        };
      }
      return limited;
    }
  }
}
