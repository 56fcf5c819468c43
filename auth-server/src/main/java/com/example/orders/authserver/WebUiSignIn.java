package com.example.orders.authserver;

import java.util.function.Consumer;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * Signing operators in to Temporal's Web UI: the users who sign in with a password, the UI server's
 * client (authorization code flow, OpenID Connect), and the rule that only a user with the UI's role
 * gets a code for it.
 */
final class WebUiSignIn {

  /** The authority a user's role becomes, and what the rule checks. */
  private static final String ROLE_AUTHORITY_PREFIX = "ROLE_";

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
   * to the login page.
   */
  static Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> onlyItsRole(IssuerProperties.WebUi ui) {
    String required = ROLE_AUTHORITY_PREFIX + ui.role();
    return context -> {
      OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
      Authentication user = (Authentication) request.getPrincipal();
      boolean signedIn = user != null && user.isAuthenticated() && !(user instanceof AnonymousAuthenticationToken);
      if (!signedIn || !ui.clientId().equals(context.getRegisteredClient().getClientId())) {
        return;
      }
      if (user.getAuthorities().stream().noneMatch(authority -> required.equals(authority.getAuthority()))) {
        throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED,
            "the Web UI is for users with role " + ui.role(), null), request);
      }
    };
  }
}
