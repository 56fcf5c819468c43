package com.example.orders.api.codec;

import com.example.orders.security.CallerAuthentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * How an operator's browser gets to decode in the Temporal Web UI. The Web UI calls the codec from
 * the browser and can send cookies ("include cross-origin credentials") but has no token of ours, so
 * the operator hands one over once: POST /codec/session with the token sets it as an HttpOnly,
 * SameSite=Strict cookie that only /codec/encode and /codec/decode read, until the token expires.
 * GET /codec/session is a page that does this.
 */
@RestController
@Tag(name = "operations")
public class CodecSessionController {

  /** The cookie holding an operator's access token, read only on the codec endpoints. */
  public static final String COOKIE = "orders_codec_token";
  private static final String PATH = "/codec";

  @Operation(operationId = "startCodecSession", summary = "Let this browser decode in the Web UI",
      description = "Stores the caller's access token in an HttpOnly, SameSite=Strict cookie scoped to /codec, "
          + "so that the Temporal Web UI (with \"include cross-origin credentials\" on) can call /codec/decode "
          + "from this browser until the token expires. Roles: operators.")
  @ApiResponse(responseCode = "204", description = "The cookie is set")
  @PostMapping("/codec/session")
  ResponseEntity<Void> start(@Parameter(hidden = true) CallerAuthentication authentication,
      HttpServletRequest request) {
    var token = authentication.getCredentials();
    Instant expiresAt = token.getExpiresAt() != null ? token.getExpiresAt() : Instant.now().plus(Duration.ofMinutes(5));
    Duration left = Duration.between(Instant.now(), expiresAt);
    ResponseCookie cookie = ResponseCookie.from(COOKIE, token.getTokenValue())
        .path(PATH).httpOnly(true).sameSite("Strict").secure(request.isSecure())
        .maxAge(left.isNegative() ? Duration.ZERO : left)
        .build();
    return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
  }

  @Operation(operationId = "endCodecSession", summary = "Stop decoding in this browser",
      description = "Removes the codec cookie. Needs no token: it only forgets one.")
  @ApiResponse(responseCode = "204", description = "The cookie is gone")
  @DeleteMapping("/codec/session")
  ResponseEntity<Void> end(HttpServletRequest request) {
    ResponseCookie cookie = ResponseCookie.from(COOKIE, "")
        .path(PATH).httpOnly(true).sameSite("Strict").secure(request.isSecure()).maxAge(Duration.ZERO).build();
    return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
  }

  @Operation(operationId = "codecSessionPage", summary = "A page that sets the codec cookie",
      description = "Paste an operator access token; the page calls POST /codec/session from this browser. Public.")
  @ApiResponse(responseCode = "200", description = "The page")
  @GetMapping(path = "/codec/session", produces = MediaType.TEXT_HTML_VALUE)
  String page() {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Decode in the Temporal Web UI</title></head>
        <body style="font-family: sans-serif; max-width: 46em; margin: 2em auto">
        <h1>Decode customer data in the Temporal Web UI</h1>
        <p>Workflow inputs and results are encrypted before they reach Temporal. The Web UI shows them
        decoded through this api's codec endpoint, for operators only. Paste an operator access token
        (docs/security.md: <code>curl -u operator:operator-secret -d grant_type=client_credentials
        http://localhost:9000/oauth2/token</code>); this browser keeps it in a cookie that only the codec
        endpoints read, until the token expires.</p>
        <textarea id="token" rows="6" cols="80" placeholder="eyJ..."></textarea><br>
        <button id="start">Decode in this browser</button> <button id="end">Stop</button>
        <p id="result" role="status"></p>
        <p>In the Web UI, the codec endpoint is this api's <code>/codec</code> (./run configures it) and
        "Include cross-origin credentials" must be on (Web UI: Codec Server settings).</p>
        <script>
        const say = text => document.getElementById('result').textContent = text;
        document.getElementById('start').onclick = async () => {
          const token = document.getElementById('token').value.trim();
          const r = await fetch('/codec/session', {method: 'POST', headers: {Authorization: 'Bearer ' + token}});
          say(r.status === 204 ? 'This browser now decodes in the Web UI.'
              : 'Refused (' + r.status + '): ' + ((await r.json().catch(() => ({}))).detail || ''));
        };
        document.getElementById('end').onclick = async () => {
          await fetch('/codec/session', {method: 'DELETE'});
          say('This browser no longer decodes.');
        };
        </script>
        </body></html>
        """;
  }
}
