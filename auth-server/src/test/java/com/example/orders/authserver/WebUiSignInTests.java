package com.example.orders.authserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * An operator signing in to Temporal's Web UI, as ui-server 2.42.1 drives it (server/route/auth.go):
 * the browser is sent to /oauth2/authorize with state and nonce, signs in on the login page, comes
 * back to the UI's callback with a code, which the UI server redeems with its secret for an access
 * token (forwarded to the engine) and an ID token (audience: its client id, the nonce it sent).
 * Each test is one browser: its own session.
 */
class WebUiSignInTests extends IssuerMockMvcTests {

  private static final String CLIENT = "temporal-ui";
  private static final String SECRET = "temporal-ui-secret";
  private static final String CALLBACK = "http://localhost:8233/auth/sso/callback";
  private static final String STATE = "state-from-the-ui";
  private static final String NONCE = "nonce-from-the-ui";
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"");

  private final MockHttpSession browser = new MockHttpSession();

  @Autowired
  RegisteredClientRepository clients;

  @Autowired
  IssuerProperties issuer;

  // ---------------------------------------------------------------------------------------------
  // the browser and the UI server

  private static URI authorizeUri(String redirectUri, Map<String, String> more) {
    UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/oauth2/authorize")
        .queryParam("client_id", CLIENT)
        .queryParam("redirect_uri", redirectUri)
        .queryParam("response_type", "code")
        .queryParam("scope", "openid profile email")
        .queryParam("state", STATE)
        .queryParam("nonce", NONCE);
    more.forEach(uri::queryParam);
    return uri.encode().build().toUri();
  }

  /** A page the browser opens, with its cookies (the session). */
  private MvcTestResult open(URI uri) {
    return mvc.get().uri(uri).accept(MediaType.TEXT_HTML).session(browser).exchange();
  }

  private MvcTestResult submitLoginForm(String username, String password, boolean withCsrfToken) throws Exception {
    MvcTestResult page = mvc.get().uri("/login").accept(MediaType.TEXT_HTML).session(browser).exchange();
    assertThat(page).hasStatusOk();
    Matcher csrf = CSRF_FIELD.matcher(page.getResponse().getContentAsString());
    assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
    String form = "username=" + encode(username) + "&password=" + encode(password)
        + (withCsrfToken ? "&_csrf=" + encode(csrf.group(1)) : "");
    return mvc.post().uri("/login").contentType(MediaType.APPLICATION_FORM_URLENCODED).content(form)
        .accept(MediaType.TEXT_HTML).session(browser).exchange();
  }

  /** The UI sends the browser to the issuer, which asks it to sign in, then sends it on to where it was going. */
  private MvcTestResult signInAndAuthorize(String username, String password, Map<String, String> more)
      throws Exception {
    MvcTestResult anonymous = open(authorizeUri(CALLBACK, more));
    assertThat(anonymous).hasStatus(HttpStatus.FOUND);
    assertThat(anonymous).redirectedUrl().isEqualTo("/login");

    MvcTestResult signedIn = submitLoginForm(username, password, true);
    assertThat(signedIn).hasStatus(HttpStatus.FOUND);
    String backToAuthorize = signedIn.getResponse().getRedirectedUrl();
    assertThat(backToAuthorize).as("signed in, back to the authorization request").contains("/oauth2/authorize?");
    return open(URI.create(backToAuthorize));
  }

  /** The query of the callback the browser is sent to, after checking it is the UI's own callback. */
  private static MultiValueMap<String, String> callback(MvcTestResult result) {
    assertThat(result).hasStatus(HttpStatus.FOUND);
    String location = result.getResponse().getRedirectedUrl();
    assertThat(location).startsWith(CALLBACK + "?");
    return UriComponentsBuilder.fromUriString(location).build().getQueryParams();
  }

  private String code(MvcTestResult result) {
    MultiValueMap<String, String> query = callback(result);
    assertThat(query.getFirst("state")).isEqualTo(STATE);
    assertThat(query.getFirst("error")).isNull();
    assertThat(query.getFirst("code")).isNotBlank();
    return query.getFirst("code");
  }

  /** The UI server redeems the code with its secret (golang.org/x/oauth2 sends it as HTTP Basic first). */
  private MvcTestResult redeem(String code, String secret, String more) {
    return tokenRequest(basic(CLIENT, secret),
        "grant_type=authorization_code&code=" + encode(code) + "&redirect_uri=" + encode(CALLBACK) + more);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String s256(String verifier) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
  }

  // ---------------------------------------------------------------------------------------------
  // an operator

  @Test
  void anOperatorSignsInAndTheUiGetsTheirTokenForTheEngineAndAnIdTokenWithItsNonce() throws Exception {
    String code = code(signInAndAuthorize("operator_1", "operator_1-password", Map.of()));

    MvcTestResult tokens = redeem(code, SECRET, "");

    assertThat(tokens).hasStatusOk();
    JsonNode body = json(tokens);
    assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isBetween(3590L, 3600L);
    assertThat(body.has("refresh_token")).as("the UI signs in again when its token expires").isFalse();
    JWTClaimsSet access = verifiedClaims(body.get("access_token").asString());
    assertThat(access.getSubject()).isEqualTo("operator_1");
    assertThat(access.getIssuer()).isEqualTo("http://localhost:9000");
    assertThat(access.getStringListClaim(IssuerConfiguration.ROLES_CLAIM)).containsExactly("operator");
    assertThat(access.getStringListClaim(IssuerConfiguration.PERMISSIONS_CLAIM)).containsExactly("default:admin");
    assertThat(access.getAudience()).containsExactly("orders-api", "temporal");

    JWTClaimsSet id = verifiedClaims(body.get("id_token").asString());
    assertThat(id.getSubject()).isEqualTo("operator_1");
    assertThat(id.getIssuer()).isEqualTo("http://localhost:9000");
    assertThat(id.getAudience()).as("what go-oidc's verifier checks").containsExactly(CLIENT);
    assertThat(id.getStringClaim("nonce")).isEqualTo(NONCE);
    assertThat(id.getStringClaim("name")).as("the name the UI shows").isEqualTo("operator_1");
    assertThat(id.getClaim(IssuerConfiguration.PERMISSIONS_CLAIM)).isNull();
  }

  @Test
  void theUserinfoEndpointAnswersForTheOperatorsAccessToken() throws Exception {
    String accessToken = json(redeem(code(signInAndAuthorize("operator_1", "operator_1-password", Map.of())),
        SECRET, "")).get("access_token").asString();

    MvcTestResult userinfo = mvc.get().uri("/userinfo").header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
        .exchange();

    assertThat(userinfo).hasStatusOk();
    assertThat(userinfo).bodyJson().extractingPath("$.sub").isEqualTo("operator_1");
  }

  @Test
  void aCodeIsRedeemedOnceAndOnlyWithTheUisSecret() throws Exception {
    String code = code(signInAndAuthorize("operator_1", "operator_1-password", Map.of()));

    MvcTestResult wrongSecret = redeem(code, "temporal-ui", "");
    assertThat(wrongSecret).hasStatus(HttpStatus.UNAUTHORIZED);
    assertThat(json(wrongSecret).get("error").asString()).isEqualTo("invalid_client");

    assertThat(redeem(code, SECRET, "")).hasStatusOk();
    MvcTestResult again = redeem(code, SECRET, "");
    assertThat(again).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(json(again).get("error").asString()).isEqualTo("invalid_grant");
  }

  // ---------------------------------------------------------------------------------------------
  // who is refused

  @Test
  void aCustomerSignsInAndIsToldWhyWithNoCodeAndSignedOut() throws Exception {
    MvcTestResult refused = signInAndAuthorize("user_1", "user_1-password", Map.of());

    assertThat(refused).hasStatus(HttpStatus.FORBIDDEN);
    assertThat(refused.getResponse().getRedirectedUrl()).as("not sent back to the UI").isNull();
    assertThat(refused.getResponse().getContentType()).startsWith(MediaType.TEXT_HTML_VALUE);
    assertThat(refused.getResponse().getHeader("X-Frame-Options")).as("the issuer's security headers").isEqualTo("DENY");
    assertThat(refused.getResponse().getContentAsString())
        .contains("user_1 may not use the Temporal Web UI: it is for users with role operator")
        .contains("<a href=\"http://localhost:8233/\">Sign in with another account</a>");
    // signed out: the next visit asks for a password again instead of refusing at once
    assertThat(open(authorizeUri(CALLBACK, Map.of()))).redirectedUrl().isEqualTo("/login");
  }

  @Test
  void theRefusalLinksOnlyToARegisteredUi() throws Exception {
    // signed in on the login page itself; an unregistered redirect URI never gets that far anonymously
    assertThat(submitLoginForm("user_2", "user_2-password", true)).hasStatus(HttpStatus.FOUND);
    MvcTestResult refused = open(authorizeUri("http://elsewhere.test/auth/sso/callback", Map.of()));

    assertThat(refused).hasStatus(HttpStatus.FORBIDDEN);
    assertThat(refused.getResponse().getContentAsString()).contains("user_2 may not use").doesNotContain("href=");
  }

  @Test
  void noCodeIsIssuedToAUserWithoutTheRoleEvenPastThePage() {
    // the rule at the authorization endpoint itself, which the page only explains first
    var customer = UsernamePasswordAuthenticationToken.authenticated("user_1", null,
        AuthorityUtils.createAuthorityList("ROLE_customer"));
    var request = new OAuth2AuthorizationCodeRequestAuthenticationToken("http://localhost:9000/oauth2/authorize",
        CLIENT, customer, CALLBACK, STATE, Set.of("openid"), Map.of());
    var context = OAuth2AuthorizationCodeRequestAuthenticationContext.with(request)
        .registeredClient(clients.findByClientId(CLIENT)).build();

    assertThatThrownBy(() -> WebUiSignIn.onlyItsRole(issuer.webUi()).accept(context))
        .isInstanceOfSatisfying(OAuth2AuthorizationCodeRequestAuthenticationException.class, refusal ->
            assertThat(refusal.getError().getErrorCode()).isEqualTo("access_denied"));
  }

  @Test
  void aWrongPasswordOrAnUnknownUserSignsNobodyIn() throws Exception {
    for (String[] attempt : new String[][] {
        {"operator_1", "operator_1-PASSWORD"}, {"operator_1", "user_1-password"}, {"operator_1", ""},
        {"operator_2", "operator_2-password"}, {"operator", "operator-secret"}}) {
      assertThat(open(authorizeUri(CALLBACK, Map.of()))).redirectedUrl().isEqualTo("/login");

      MvcTestResult refused = submitLoginForm(attempt[0], attempt[1], true);

      assertThat(refused).as(String.join("/", attempt)).redirectedUrl().isEqualTo("/login?error");
      MvcTestResult stillAnonymous = open(authorizeUri(CALLBACK, Map.of()));
      assertThat(stillAnonymous).as(String.join("/", attempt)).redirectedUrl().isEqualTo("/login");
    }
  }

  @Test
  void theLoginFormIsRefusedWithoutItsCsrfToken() throws Exception {
    open(authorizeUri(CALLBACK, Map.of()));

    MvcTestResult forged = submitLoginForm("operator_1", "operator_1-password", false);

    assertThat(forged).hasStatus(HttpStatus.FORBIDDEN);
    assertThat(open(authorizeUri(CALLBACK, Map.of()))).redirectedUrl().isEqualTo("/login");
  }

  @Test
  void aRedirectUriThatIsNotRegisteredGetsNoCodeAndNoRedirect() throws Exception {
    for (String elsewhere : new String[] {"http://evil.example/auth/sso/callback", CALLBACK + "/", CALLBACK + "?x=1",
        "http://localhost:8234/auth/sso/callback", "https://localhost:8233/auth/sso/callback"}) {
      MvcTestResult anonymous = open(authorizeUri(elsewhere, Map.of()));
      assertThat(anonymous).as(elsewhere).hasStatus(HttpStatus.BAD_REQUEST);
      assertThat(anonymous.getResponse().getRedirectedUrl()).as(elsewhere).isNull();
    }
    // nor once signed in
    callback(signInAndAuthorize("operator_1", "operator_1-password", Map.of()));
    MvcTestResult signedIn = open(authorizeUri("http://evil.example/auth/sso/callback", Map.of()));
    assertThat(signedIn).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(signedIn.getResponse().getRedirectedUrl()).isNull();
  }

  @Test
  void aProgramIsToldToAuthenticateRatherThanSentToTheLoginPage() {
    MvcTestResult program = mvc.get().uri(authorizeUri(CALLBACK, Map.of())).exchange();

    assertThat(program).hasStatus(HttpStatus.UNAUTHORIZED);
  }

  // ---------------------------------------------------------------------------------------------
  // PKCE: no public client is registered, so it is shown on the UI's client, which may send it

  @Test
  void aCodeRequestedWithAnS256ChallengeIsRedeemedOnlyWithItsVerifier() throws Exception {
    String verifier = "a-verifier-of-forty-three-characters-or-more-0123456789";
    Map<String, String> challenge = new LinkedHashMap<>();
    challenge.put("code_challenge", s256(verifier));
    challenge.put("code_challenge_method", "S256");

    String code = code(signInAndAuthorize("operator_1", "operator_1-password", challenge));
    MvcTestResult withoutVerifier = redeem(code, SECRET, "");
    assertThat(withoutVerifier).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(json(withoutVerifier).get("error").asString()).isEqualTo("invalid_grant");

    String another = code(open(authorizeUri(CALLBACK, challenge)));
    MvcTestResult wrongVerifier = redeem(another, SECRET, "&code_verifier=" + verifier.replace('a', 'b'));
    assertThat(wrongVerifier).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(json(wrongVerifier).get("error").asString()).isEqualTo("invalid_grant");

    String third = code(open(authorizeUri(CALLBACK, challenge)));
    MvcTestResult rightVerifier = redeem(third, SECRET, "&code_verifier=" + verifier);
    assertThat(rightVerifier).hasStatusOk();
    assertThat(verifiedClaims(json(rightVerifier).get("access_token").asString()).getSubject())
        .isEqualTo("operator_1");
  }

  @Test
  void thePlainChallengeMethodIsRefusedBeforeAnyoneSignsIn() {
    MultiValueMap<String, String> query = callback(open(authorizeUri(CALLBACK,
        Map.of("code_challenge", "a-verifier-of-forty-three-characters-or-more-0123456789",
            "code_challenge_method", "plain"))));

    assertThat(query.getFirst("error")).isEqualTo("invalid_request");
    assertThat(query.containsKey("code")).isFalse();
  }

  // ---------------------------------------------------------------------------------------------
  // what the UI server reads at its start (oidc.NewProvider)

  @Test
  void theDiscoveryDocumentGivesTheUiServerWhatItUses() throws Exception {
    MvcTestResult discovery = mvc.get().uri("/.well-known/openid-configuration").exchange();

    assertThat(discovery).hasStatusOk();
    JsonNode document = json(discovery);
    assertThat(document.get("issuer").asString()).as("compared exactly with the providerUrl")
        .isEqualTo("http://localhost:9000");
    assertThat(document.get("authorization_endpoint").asString()).isEqualTo("http://localhost:9000/oauth2/authorize");
    assertThat(document.get("token_endpoint").asString()).isEqualTo("http://localhost:9000/oauth2/token");
    assertThat(document.get("jwks_uri").asString()).isEqualTo("http://localhost:9000/oauth2/jwks");
    assertThat(document.get("userinfo_endpoint").asString()).isEqualTo("http://localhost:9000/userinfo");
    assertThat(document.get("response_types_supported").valueStream().map(JsonNode::asString)).contains("code");
    assertThat(document.get("id_token_signing_alg_values_supported").valueStream().map(JsonNode::asString))
        .contains("RS256");
    assertThat(document.get("code_challenge_methods_supported").valueStream().map(JsonNode::asString))
        .containsExactly("S256");
    assertThat(document.get("scopes_supported").valueStream().map(JsonNode::asString)).contains("openid");
  }
}
