package com.example.orders.authserver;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Signing operators in to Temporal's Web UI: the users who sign in with a password, the UI server's
 * client (authorization code flow, OpenID Connect), and the rule that only a user with the UI's role
 * gets a code for it.
 */
final class WebUiSignIn {

  /** The authority a user's role becomes, and what the rule checks. */
  private static final String ROLE_AUTHORITY_PREFIX = "ROLE_";

  /** The authorization endpoint (Spring Authorization Server's default, which the issuer keeps). */
  private static final String AUTHORIZE_PATH = "/oauth2/authorize";

  private WebUiSignIn() {}

  /** The configured users; their passwords are checked against the configured bcrypt hashes. */
  static UserDetailsService users(IssuerProperties issuer) {
    return new InMemoryUserDetailsManager(issuer.users().stream()
        .map(user -> User.withUsername(user.username())
            .password(user.passwordHash())
            .authorities(AuthorityUtils.createAuthorityList(ROLE_AUTHORITY_PREFIX + user.role()))
            .build())
        .toList());
  }

  /**
   * The UI server as a confidential client: it authenticates with its secret at the token endpoint and
   * sends no PKCE (ui-server 2.42.1), so none is required of it; a request that does send a challenge
   * must use S256 and redeem its code with the verifier. No consent screen: operators sign in to use it.
   */
  static RegisteredClient client(IssuerProperties.WebUi ui, TokenSettings tokens) {
    return IssuerConfiguration.withSecret(ui.clientId(), ui.clientSecret())
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUris(uris -> uris.addAll(ui.redirectUris()))
        .scope(OidcScopes.OPENID)
        .scope(OidcScopes.PROFILE)
        .scope(OidcScopes.EMAIL)
        .clientSettings(ClientSettings.builder().requireProofKey(false).requireAuthorizationConsent(false).build())
        .tokenSettings(tokens)
        .build();
  }

  /**
   * Refuses a signed-in user without the UI's role a code for the UI: the browser goes back to the
   * UI with {@code error=access_denied}. Runs after Spring's own checks of the request, so the
   * redirect URI it sends the error to is a registered one; before sign-in it lets the request on
   * to the login page. A browser meets {@link #refusalPage} first; this is what guarantees no code.
   */
  static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> onlyItsRole(IssuerProperties.WebUi ui) {
    return context -> {
      OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
      if (ui.clientId().equals(context.getRegisteredClient().getClientId())
          && lacksTheRole(ui, (Authentication) request.getPrincipal())) {
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED,
            "the Web UI is for users with role " + ui.role(), null), request);
      }
    };
  }

  /**
   * A signed-in user without the UI's role who asks for a code for the UI gets a page that says why
   * (403) and is signed out, so the next visit offers the login form again. ui-server 2.42.1 shows
   * its own error page (500) for the {@code access_denied} of {@link #onlyItsRole}, which says nothing.
   */
  static OncePerRequestFilter refusalPage(IssuerProperties.WebUi ui) {
    return new OncePerRequestFilter() {
      @Override
      protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !AUTHORIZE_PATH.equals(path) || !ui.clientId().equals(request.getParameter("client_id"));
      }

      @Override
      protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
          throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (!lacksTheRole(ui, user)) {
          chain.doFilter(request, response);
          return;
        }
        new SecurityContextLogoutHandler().logout(request, response, user);
        String redirectUri = request.getParameter("redirect_uri");
        String again = ui.redirectUris().contains(redirectUri)
            ? "<p><a href=\"" + HtmlUtils.htmlEscape(origin(redirectUri)) + "\">Sign in with another account</a></p>"
            : "";
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><title>Not for this account</title></head>"
            + "<body><h1>Not for this account</h1><p>" + HtmlUtils.htmlEscape(user.getName())
            + " may not use the Temporal Web UI: it is for users with role " + HtmlUtils.htmlEscape(ui.role())
            + ". You have been signed out.</p>" + again + "</body></html>");
      }
    };
  }

  /** Signed in, and without the UI's role; nobody signed in yet is sent to the login page instead. */
  private static boolean lacksTheRole(IssuerProperties.WebUi ui, Authentication user) {
    String required = ROLE_AUTHORITY_PREFIX + ui.role();
    boolean signedIn = user != null && user.isAuthenticated() && !(user instanceof AnonymousAuthenticationToken);
    return signedIn && user.getAuthorities().stream().noneMatch(authority -> required.equals(authority.getAuthority()));
  }

  /** The UI's own address (its redirect URI without the path): where a new sign-in starts. */
  private static String origin(String uri) {
    return UriComponentsBuilder.fromUriString(uri).replacePath("/").replaceQuery(null).fragment(null).build().toUriString();
  }
}
