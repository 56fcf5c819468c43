package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.systemtests.EndToEndEnvironment.Engine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Signing in to the production engine's Web UI (docs/security.md, The Temporal engine), in a real
 * headless Chromium with a fresh profile per test: the Web UI server sends visitors to our issuer's
 * sign-in page; an operator user comes back signed in and reads orders decoded; a customer's account
 * is told why it gets no session. The dev server's Web UI has no sign-in (it listens on 127.0.0.1 only).
 */
@Tag(Engine.BOTH)
@Tag(Engine.SERVER_ONLY)
class WebUiSignInIT {

  private static final EndToEndEnvironment env = EndToEndEnvironment.get();
  private WebDriver browser;

  @BeforeEach
  void openBrowser() {
    browser = Chromium.headless();
  }

  @AfterEach
  void closeBrowser() {
    browser.quit();
  }

  @Test
  void anAnonymousVisitorIsSentToSignInAndTheUiServerRefusesItsCalls() throws Exception {
    browser.get(env.temporalUiUrl + "/namespaces/default/workflows");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> bodyText().contains("Continue to SSO"));
    assertThat(bodyText()).doesNotContain("Workflow ID");
    browser.findElement(By.xpath("//*[self::a or self::button][contains(normalize-space(.), 'Continue to SSO')]")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> driver.getCurrentUrl().startsWith(env.issuerUrl + "/login"));
    assertThat(browser.findElements(By.id("password"))).hasSize(1);

    // what the page would have fetched, asked without a session: the UI server refuses it before the engine would
    HttpResponse<String> workflows = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(env.temporalUiUrl + "/api/v1/namespaces/default/workflows")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(workflows.statusCode()).isEqualTo(401);
    assertThat(workflows.body()).contains("unauthorized").doesNotContain("order-");
  }

  @Test
  void anOperatorSignsInAndSeesAnOrderWithItsCustomerDataDecoded() throws IOException {
    Api operator = env.client("operator");
    String customer = "signin_" + System.nanoTime();
    assertThat(operator.put("/customers/" + customer, "{\"name\":\"Web UI sign-in\",\"balance\":1000.00}").status())
        .isEqualTo(201);
    String address = """
        {"name":"Philippa Signet","line1":"3 Login Lane","city":"Springfield","postalCode":"12345","country":"US"}""";
    JsonNode order = operator.post("/orders", orderJson(customer, "product_1", 1, address), "Prefer", "wait=30").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");

    signIn(browser, "operator_1");
    TemporalWebUiIT.codecSession(browser, true); // the codec is on http here (docs/security.md)
    browser.get(order.get("links").get("temporalUi").asString());
    try {
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(driver -> bodyText().contains("Philippa Signet") && bodyText().contains("3 Login Lane"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the signed-in operator never saw the order decoded; the page showed:\n" + bodyText(), e);
    }
  }

  @Test
  void aCustomersAccountIsToldWhyAndGetsNoSession() {
    signInAs(browser, "user_1");
    // the issuer gives it no code for the Web UI: a page that says why, and it is signed out there
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> bodyText().contains("may not use"));
    assertThat(browser.getCurrentUrl()).startsWith(env.issuerUrl + "/oauth2/authorize");
    assertThat(bodyText()).contains("user_1 may not use the Temporal Web UI: it is for users with role operator");

    browser.findElement(By.linkText("Sign in with another account")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> bodyText().contains("Continue to SSO"));
    assertThat(browser.manage().getCookies()).extracting(Cookie::getName).noneMatch(name -> name.startsWith("user"));
    browser.findElement(By.xpath("//*[self::a or self::button][contains(normalize-space(.), 'Continue to SSO')]")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> driver.getCurrentUrl().startsWith(env.issuerUrl + "/login"));
  }

  /** Signs an operator user in through the Web UI server's SSO start and the issuer's form; back on the UI after. */
  static void signIn(WebDriver browser, String user) {
    signInAs(browser, user);
    try {
      new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> driver.getCurrentUrl().startsWith(env.temporalUiUrl)
          && driver.manage().getCookies().stream().anyMatch(cookie -> cookie.getName().startsWith("user")));
    } catch (org.openqa.selenium.TimeoutException e) {
      // where the sign-in stopped: the issuer's form, its error, or the Web UI server's callback
      String page = browser.findElement(By.tagName("body")).getText();
      throw new AssertionError(user + " was not signed in to the Web UI within 30 s; the browser is at "
          + browser.getCurrentUrl() + " with cookies " + browser.manage().getCookies().stream().map(Cookie::getName).toList()
          + ", showing:\n" + page.substring(0, Math.min(page.length(), 2000)), e);
    }
  }

  /** The issuer's sign-in form, reached from the Web UI server's SSO start; the demo password is the user name + "-password". */
  private static void signInAs(WebDriver browser, String user) {
    browser.get(env.temporalUiUrl + "/auth/sso");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> driver.getCurrentUrl().startsWith(env.issuerUrl + "/login"));
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(user + "-password");
    browser.findElement(By.cssSelector("button[type='submit']")).click();
  }

  private String bodyText() {
    return browser.findElement(By.tagName("body")).getText();
  }
}
