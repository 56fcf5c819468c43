package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.devtools.faults.FaultInjector;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * What an operator sees in the Temporal Web UI, checked in a real headless Chromium: orders found
 * by search attribute, each order's status, its steps in order, what was undone and why.
 * Runs on both engines: the dev server's Web UI, and the Web UI server beside the real server
 * (config/temporal-server/ui.yaml). Screenshots land in target/web-ui-screenshots/ (-server/ for the
 * real server).
 */
@Tag(EndToEndEnvironment.Engine.BOTH)
class TemporalWebUiIT {

  private static final EndToEndEnvironment env = EndToEndEnvironment.get();
  private static final Path SCREENSHOTS = env.engine.output("web-ui-screenshots");
  /** A timeline label of a (regular) activity: "activityType • summary". */
  private static final Pattern TIMELINE_LABEL = Pattern.compile("(?m)^(\\w+) • (.+)$");
  /**
   * A local activity (the first tries of a step or a compensation) in the event history: its summary,
   * after its type when the row has room for it.
   */
  private static final Pattern LOCAL_STEP =
      Pattern.compile("(?m)^Local Activity\\n(?:Activity Type\\n\\w+\\n)?Summary\\n(.+)$");

  private static WebDriver browser;
  private final Api api = env.client("operator");

  @BeforeAll
  static void openBrowser() throws IOException {
    Files.createDirectories(SCREENSHOTS);
    browser = Chromium.headless();
    if (env.engine == EndToEndEnvironment.Engine.SERVER) {
      WebUiSignInIT.signIn(browser, "operator_1"); // the production engine's Web UI asks for sign-in
    }
    decodeInThisBrowser(true);
  }

  /**
   * What an operator does once per browser (docs/security.md, Reading encrypted payloads): hands an
   * operator token to the api's codec session page, whose cookie the Web UI then sends to the codec.
   * The dev server's UI sends cookies only under a codec configuration of the browser's own (its
   * settings dialog writes it to local storage); the production engine's UI server is configured to.
   */
  private static void decodeInThisBrowser(boolean on) {
    codecSession(browser, on);
    if (env.engine == EndToEndEnvironment.Engine.DEV) {
      browser.get(env.temporalUiUrl + "/namespaces/default/workflows");
      ((JavascriptExecutor) browser).executeScript("""
          localStorage.setItem('endpoint', JSON.stringify(arguments[0]));
          localStorage.setItem('includeCredentials', 'true');
          localStorage.setItem('overrideRemoteCodecConfiguration', 'true');""", env.codecEndpoint());
    }
  }

  /** Opens ({@code on}) or ends the browser's codec session at the api, with an operator's token. */
  static void codecSession(WebDriver browser, boolean on) {
    browser.get(env.codecEndpoint() + "/session"); // the cookie's host is the one the Web UI calls

    if (on) {
      browser.findElement(By.id("token")).sendKeys(env.token("operator"));
      browser.findElement(By.id("start")).click();
    } else {
      browser.findElement(By.id("end")).click();
    }
    String expected = on ? "now decodes" : "no longer decodes";
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(driver -> driver.findElement(By.id("result")).getText().contains(expected));
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void aCompletedOrderIsFoundBySearchAttributeAndShowsItsStepsInOrder() throws IOException {
    String customer = newCustomer();
    JsonNode order = api.post("/orders", orderJson(customer, "product_1", 2, ADDRESS_US), "Prefer", "wait=30").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    String workflowId = order.get("workflowId").asString();

    String list = openList("OrderStatus = \"COMPLETED\" AND CustomerId = \"" + customer + "\"", workflowId);
    assertThat(list).containsPattern("\\b1\\s+Workflow\\b").contains("1 Completed").contains(workflowId);
    screenshot("completed-order-list");

    // the steps ran locally, in one workflow task: the event history lists them with their summaries
    String page = openWorkflow(order, "charge 100.00 USD to " + customer, false);
    screenshot("completed-order");
    assertThat(page).contains("Completed");
    assertThat(localStepsInOrder(4)).containsExactly("reserve 2 x product_1",
        "charge 100.00 USD to " + customer, "book shipment to US", "confirm order");
    assertThat(searchAttributesTab()).contains("OrderStatus").contains("COMPLETED").contains(customer);
    screenshot("completed-order-search-attributes");
  }

  /**
   * The build an order runs on, which it stays pinned to (docs/changing-workflows.md, Deploying: a new
   * build), on its page: the deployment, the build id and the versioning behaviour.
   */
  @Test
  void anOrderShowsTheBuildItIsPinnedTo() throws IOException {
    String customer = newCustomer();
    JsonNode order = api.post("/orders", orderJson(customer, "product_1", 1, ADDRESS_US), "Prefer", "wait=30").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    // the order's row says COMPLETED from inside its workflow task (its steps are local activities); the
    // build is recorded when that task completes, a moment later
    String build = Awaitility.await("the build the order ran on").atMost(Duration.ofSeconds(10))
        .until(() -> env.workflowClient.newUntypedWorkflowStub(order.get("workflowId").asString()).describe()
            .getRawDescription().getWorkflowExecutionInfo().getVersioningInfo().getDeploymentVersion().getBuildId(),
            id -> !id.isEmpty());

    String page = openWorkflow(order, List.of("Build ID", "Versioning Behavior", build), false);
    screenshot("order-build");
    // the summary's labels, each above its value: "Deployment orders", "Build ID <build>", "Versioning Behavior Pinned"
    assertThat(page).containsPattern("Deployment\\s+orders\\s+Build ID\\s+" + Pattern.quote(build)
        + "\\s+Versioning Behavior\\s+Pinned\\b");
  }

  @Test
  void aCompensatedOrderShowsWhatWasUndoneAndWhy() throws IOException {
    String customer = newCustomer();
    String antarctica = """
        {"name":"Station","line1":"1 Ice Rd","city":"McMurdo","postalCode":"0001","country":"AQ"}""";
    JsonNode order = api.post("/orders", orderJson(customer, "product_2", 1, antarctica), "Prefer", "wait=30").body();
    assertThat(order.get("status").asString()).isEqualTo("FAILED");
    String workflowId = order.get("workflowId").asString();

    String list = openList("OrderStatus = \"FAILED\" AND CustomerId = \"" + customer + "\"", workflowId);
    assertThat(list).containsPattern("\\b1\\s+Workflow\\b").contains("1 Failed").contains(workflowId);
    screenshot("failed-order-list");

    String page = openWorkflow(order, List.of("does not deliver to AQ", "record compensation: UNDELIVERABLE_ADDRESS"), false);
    screenshot("failed-order");
    assertThat(page).contains("Failed");
    // the forward steps and the undo ran locally, in the workflow task that met the refusal: the event
    // history lists each as a local activity with its summary. cancelShipment too: the booking was
    // refused, and its compensation fences off any other attempt
    assertThat(localStepsInOrder(8)).containsExactly("reserve 1 x product_2", "charge 120.00 USD to " + customer,
        "book shipment to AQ", "record compensation: UNDELIVERABLE_ADDRESS", "cancel shipment to AQ",
        "refund 120.00 USD to " + customer, "release 1 x product_2", "record FAILED");
    assertThat(searchAttributesTab()).contains("FAILED");
  }

  @Test
  void customerDataShowsDecodedForAnOperatorAndOnlyAsCiphertextWithoutTheCodec() throws IOException {
    String customer = newCustomer();
    String address = """
        {"name":"Ottoline Quimby","line1":"9 Cipher Row","city":"Springfield","postalCode":"12345","country":"US"}""";
    JsonNode order = api.post("/orders", orderJson(customer, "product_1", 1, address), "Prefer", "wait=30").body();
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");

    // decoded by the api's codec: the name, the street and the step's summary, or openWorkflow fails
    openWorkflow(order, List.of("Ottoline Quimby", "9 Cipher Row", "reserve 1 x product_1"), false);
    screenshot("encrypted-order-decoded");

    decodeInThisBrowser(false);
    try {
      // wait for the ciphertext itself: the banner shows before the event history has loaded
      String encryptedEncoding = Base64.getEncoder().encodeToString("binary/encrypted".getBytes(StandardCharsets.UTF_8));
      String encrypted = openWorkflow(order, encryptedEncoding, false);
      screenshot("encrypted-order-without-codec");
      assertThat(encrypted).contains("Codec Server could not connect")
          .doesNotContain("Ottoline").doesNotContain("Cipher Row");
    } finally {
      decodeInThisBrowser(true);
    }
  }

  @Test
  void anOrderAwaitingReviewIsFoundByItsStatusAndShowsItsTimer() throws IOException {
    String customer = newCustomer();
    Api.Response placed = api.post("/orders", orderJson(customer, "product_3", 2, ADDRESS_US)); // 600.00: reviewed
    assertThat(placed.status()).isEqualTo(202);
    JsonNode order = placed.body();
    String orderId = order.get("orderId").asString();
    String workflowId = order.get("workflowId").asString();

    String list = openList("OrderStatus = \"AWAITING_REVIEW\" AND CustomerId = \"" + customer + "\"", workflowId);
    assertThat(list).contains(workflowId).contains("1 Running");
    screenshot("awaiting-review-list");
    String page = openWorkflow(order, "Timer", true);
    screenshot("awaiting-review");
    // the deadline in the timeline (the activity that recorded it) and the durable timer behind it
    assertThat(page).contains("Running").contains("markAwaitingReview • await review until").contains("Timer Started")
        .contains("review deadline"); // the timer by its name (its summary), not the SDK's id
    assertThat(api.post("/orders/" + orderId + "/review", "{\"decision\":\"APPROVE\",\"note\":\"Web UI check\"}")
        .status()).isEqualTo(200);
  }

  /**
   * A forward step that keeps failing is handed from its local tries to a regular activity, so the
   * operator sees it pending, with its attempt and last failure, and finds the order by the status
   * where it stands.
   */
  @Test
  void aForwardStepThatKeepsFailingShowsAsAPendingActivityWithItsLastFailure() throws IOException {
    String customer = newCustomer();
    seeRetriedInTheBrowser("chargePayment", customer, orderJson(customer, "product_1", 1, ADDRESS_US), "RESERVED",
        "retried after: injected fault: chargePayment BEFORE", "forward-step-retrying", "COMPLETED");
  }

  /** A compensation that keeps failing is retried without limit: pending, with its attempts and last failure. */
  @Test
  void aCompensationThatKeepsFailingShowsAsAPendingActivityWithItsLastFailure() throws IOException {
    String antarctica = """
        {"name":"Station","line1":"1 Ice Rd","city":"McMurdo","postalCode":"0001","country":"AQ"}""";
    String customer = newCustomer();
    seeRetriedInTheBrowser("refundPayment", customer, orderJson(customer, "product_2", 1, antarctica), "COMPENSATING",
        "refundPayment • refund", "compensation-retrying", "FAILED");
  }

  /**
   * Makes {@code activity} fail until the check is done, places {@code orderJson} for {@code customer}, and checks in the
   * browser that the order is listed by {@code statusWhileRetrying} and that its page shows the
   * activity pending at attempt 2 or later with the injected failure; then lets it end as {@code finalStatus}.
   */
  private void seeRetriedInTheBrowser(String activity, String customer, String orderJson, String statusWhileRetrying,
      String pageShows, String screenshotName, String finalStatus) throws IOException {
    env.injectFault(activity, FaultInjector.Phase.BEFORE, 1000);
    JsonNode order;
    try {
      order = api.post("/orders", orderJson).body();
      String workflowId = order.get("workflowId").asString();
      awaitPendingActivity(workflowId, activity, 2);

      String list = openList("OrderStatus = \"" + statusWhileRetrying + "\" AND CustomerId = \"" + customer + "\"",
          workflowId);
      assertThat(list).contains("1 Running");
      openWorkflow(order, pageShows, false);
      String pending = pendingActivitiesTab(activity);
      screenshot(screenshotName);
      assertThat(pending).contains(activity).contains("injected fault: " + activity + " BEFORE")
          .containsPattern("Attempt\\s*\\n?\\s*[2-9]");
    } finally {
      env.clearFaults();
    }
    awaitOrderStatus(order.get("orderId").asString(), finalStatus);
  }

  /** Waits until the workflow has {@code activityType} pending at attempt {@code attempt} or later. */
  private static void awaitPendingActivity(String workflowId, String activityType, int attempt) {
    Awaitility.await(activityType + " pending at attempt " + attempt).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> env.workflowClient.newUntypedWorkflowStub(workflowId).describe().getRawDescription()
            .getPendingActivitiesList().stream()
            .anyMatch(a -> a.getActivityType().getName().equals(activityType) && a.getAttempt() >= attempt));
  }

  private void awaitOrderStatus(String orderId, String status) {
    Awaitility.await("order " + orderId + " " + status).atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/orders/" + orderId).body().get("status").asString(), status::equals);
  }

  private String pendingActivitiesTab(String activityType) {
    browser.findElement(By.cssSelector("[data-testid='pending-activities-tab']")).click();
    try {
      return new WebDriverWait(browser, Duration.ofSeconds(15))
          .until(driver -> bodyText().contains("Last Failure") && bodyText().contains(activityType) ? bodyText() : null);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the pending activities never showed " + activityType + "; the page showed:\n" + bodyText(), e);
    }
  }

  /** Opens the workflow list filtered by a visibility query; returns the page text once the row shows. */
  private String openList(String query, String expectedWorkflowId) {
    String url = env.temporalUiUrl + "/namespaces/default/workflows?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20");
    // Visibility is eventually consistent: give each load time to render, reload if the row is missing.
    for (int load = 1; load <= 6; load++) {
      browser.get(url);
      try {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
            .until(driver -> bodyText().contains(expectedWorkflowId) ? bodyText() : null);
      } catch (org.openqa.selenium.TimeoutException notYet) {
        // reload below
      }
    }
    throw new AssertionError(expectedWorkflowId + " never listed for " + query + "; the page showed:\n" + bodyText());
  }

  private String openWorkflow(JsonNode order, String expected, boolean timelineLabels) {
    return openWorkflow(order, List.of(expected), timelineLabels);
  }

  /**
   * Opens the order's workflow page from the API's own link, as an operator would; waits for every one
   * of {@code expected} (the page's parts load separately), and for the timeline's "activity • summary"
   * labels (which only decoded summaries give).
   */
  private String openWorkflow(JsonNode order, List<String> expected, boolean timelineLabels) {
    String link = order.get("links").get("temporalUi").asString();
    browser.get(link);
    try {
      return new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(driver -> {
            String text = bodyText();
            return expected.stream().allMatch(text::contains)
                && (!timelineLabels || TIMELINE_LABEL.matcher(text).find()) ? text : null;
          });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("the workflow page never showed all of " + expected + "; it showed:\n" + bodyText(), e);
    }
  }

  private String searchAttributesTab() {
    browser.findElement(By.cssSelector("[data-testid='search-attributes-tab']")).click();
    return new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(driver -> bodyText().contains("OrderStatus") ? bodyText() : null);
  }

  /**
   * The summaries of the local activities in the order they ran, from the event history (newest
   * first), once the page lists at least {@code expected} of them: the history renders after the
   * failure banner and the timeline. After 15 s, whatever it lists.
   */
  private List<String> localStepsInOrder(int expected) {
    try {
      return new WebDriverWait(browser, Duration.ofSeconds(15)).until(driver -> {
        List<String> steps = localStepsIn(bodyText());
        return steps.size() >= expected ? steps : null;
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      return localStepsIn(bodyText());
    }
  }

  private static List<String> localStepsIn(String pageText) {
    List<String> newestFirst = new ArrayList<>();
    Matcher step = LOCAL_STEP.matcher(pageText);
    while (step.find()) {
      newestFirst.add(step.group(1));
    }
    Collections.reverse(newestFirst);
    return newestFirst;
  }

  private String newCustomer() {
    String id = "ui_" + System.nanoTime();
    assertThat(api.put("/customers/" + id, "{\"name\":\"Web UI check\",\"balance\":1000.00}").status()).isEqualTo(201);
    return id;
  }

  private static String bodyText() {
    return browser.findElement(By.tagName("body")).getText();
  }

  private static void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

}
