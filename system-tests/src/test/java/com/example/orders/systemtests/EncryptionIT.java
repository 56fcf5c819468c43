package com.example.orders.systemtests;

import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.workflows.order.OrderContract;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Customer data reaches Temporal only encrypted (docs/API.md, Customer data in Temporal): the raw
 * history, the CLI without a codec and a key rotation seen from the server's side; the codec
 * endpoints for operators only; orders in flight surviving encryption being switched on; and an
 * order whose payload needs a key the workers lack waiting, named, until the key arrives. The
 * methods run in order: the last two change the processes' settings, as an operator's rollout would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptionIT extends EndToEndTest {

  private static final String PLAIN_ADDRESS_NAME = "Zebulon Quixote";
  private static final String PLAIN_STREET = "77 Cryptid Lane";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  @Order(1)
  void customerDataReachesTemporalOnlyEncryptedAndOperatorsDecodeIt() throws Exception {
    JsonNode order = placeDistinctiveOrder("wait=30");
    assertThat(order.get("status").asString()).isEqualTo("COMPLETED");
    String workflowId = order.get("workflowId").asString();

    // The order's row says COMPLETED when confirmOrder commits; its local steps' markers reach the
    // history only when that workflow task completes, a moment later: read the run once it has closed.
    await("the run closed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> env.workflowClient.fetchHistory(workflowId).getLastEvent().getEventType()
            == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    WorkflowExecutionHistory history = env.workflowClient.fetchHistory(workflowId); // raw, as stored
    assertThat(history.getHistory().toByteString().toStringUtf8())
        .as("the stored history, every byte").doesNotContain(PLAIN_ADDRESS_NAME).doesNotContain(PLAIN_STREET);
    List<Payload> payloads = payloadsOutsideSearchAttributes(history.getHistory());
    assertThat(payloads).as("the history's payloads").hasSizeGreaterThan(8)
        .allSatisfy(p -> assertThat(PayloadEncryptionCodec.isEncrypted(p)).as(p.getMetadataMap().toString()).isTrue());

    // A failed order too: its failure messages stay readable for the Web UI, and carry no personal data.
    String undeliverable = distinctiveAddress().replace("\"US\"", "\"AQ\"");
    JsonNode failed = api.post("/orders", orderJson("user_2", "product_2", 1, undeliverable), "Prefer", "wait=30").body();
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(env.workflowClient.fetchHistory(failed.get("workflowId").asString()).getHistory()
        .toByteString().toStringUtf8())
        .as("a failed order's stored history").contains("does not deliver to AQ")
        .doesNotContain(PLAIN_ADDRESS_NAME).doesNotContain(PLAIN_STREET);

    // The Temporal CLI: ciphertext without the codec, the customer's name through it with an operator's token.
    assertThat(cli("workflow", "show", "--workflow-id", workflowId, "--output", "json"))
        .contains("EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED")
        .contains(Base64.getEncoder().encodeToString(PayloadEncryptionCodec.ENCODING.getBytes(StandardCharsets.UTF_8)))
        .doesNotContain(PLAIN_ADDRESS_NAME);
    JsonNode shown = JSON.readTree(cli("workflow", "show", "--workflow-id", workflowId, "--output", "json",
        "--codec-endpoint", env.apiUrl + "/codec", "--codec-auth", "Bearer " + env.token("operator")));
    String shownInput = new String(Base64.getDecoder().decode(shown.get("events").get(0)
        .get("workflowExecutionStartedEventAttributes").get("input").get("payloads").get(0).get("data").asString()),
        StandardCharsets.UTF_8);
    assertThat(shownInput).contains(PLAIN_ADDRESS_NAME).contains(PLAIN_STREET);

    // The codec endpoints: operators decode, customers and anonymous callers are refused.
    Payloads input = startedEvent(history).getWorkflowExecutionStartedEventAttributes().getInput();
    String request = JsonFormat.printer().print(input);
    Api.Response decoded = api.post("/codec/decode", request, "X-Namespace", "default");
    assertThat(decoded.status()).isEqualTo(200);
    String plain = new String(Base64.getDecoder().decode(
        decoded.body().get("payloads").get(0).get("data").asString()), StandardCharsets.UTF_8);
    assertThat(plain).contains(PLAIN_ADDRESS_NAME).contains(PLAIN_STREET);
    assertThat(env.client("user_1").post("/codec/decode", request).status()).isEqualTo(403);
    assertThat(env.anonymous().post("/codec/decode", request).status()).isEqualTo(401);
    assertThat(env.client("carrier").post("/codec/decode", request).status()).isEqualTo(403);
    assertThat(api.post("/codec/decode", request, "X-Namespace", "other").status()).isEqualTo(400);
    assertThat(api.post("/codec/decode", "{\"payloads\": 7}").body().get("type").asString())
        .isEqualTo("/problems/invalid-payloads");

    // encode: a plain payload comes back under the processes' key
    Api.Response encoded = api.post("/codec/encode", decoded.raw());
    assertThat(encoded.status()).isEqualTo(200);
    JsonNode metadata = encoded.body().get("payloads").get(0).get("metadata");
    assertThat(new String(Base64.getDecoder().decode(metadata.get("encoding").asString()), StandardCharsets.UTF_8))
        .isEqualTo(PayloadEncryptionCodec.ENCODING);
    assertThat(new String(Base64.getDecoder().decode(metadata.get(PayloadEncryptionCodec.KEY_ID).asString()),
        StandardCharsets.UTF_8)).isEqualTo("test-only-a");

    // The Web UI's origin may call the codec from a browser, with credentials; another origin may not.
    assertThat(preflight(env.temporalUiUrl).headers().firstValue("Access-Control-Allow-Origin"))
        .contains(env.temporalUiUrl);
    assertThat(preflight(env.temporalUiUrl).headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
    assertThat(preflight("http://evil.example").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  @Order(2)
  void turningEncryptionOnStrandsNoOrderInFlight() throws Exception {
    env.restartApiAndWorkers(Map.of("ORDERS_ENCRYPTION", "false"));
    List<String> workflowIds = new ArrayList<>();
    try (Connection lock = holdProductLock("product_2")) {
      for (int i = 0; i < 3; i++) {
        Api.Response accepted = api.post("/orders", orderJson("user_1", "product_2", 1, distinctiveAddress()));
        assertThat(accepted.status()).isEqualTo(202);
        workflowIds.add(accepted.body().get("workflowId").asString());
      }
      for (String workflowId : workflowIds) {
        Payload input = startedEvent(env.workflowClient.fetchHistory(workflowId))
            .getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
        assertThat(PayloadEncryptionCodec.isEncrypted(input)).as("started with encryption off").isFalse();
      }
      // the rollout: every process restarted with encryption on, while the orders wait for the stock row
      env.restartApiAndWorkers(Map.of("ORDERS_ENCRYPTION", "true"));
      lock.rollback();
    }
    for (String workflowId : workflowIds) {
      String orderId = workflowId.substring(OrderContract.WORKFLOW_ID_PREFIX.length());
      await("order " + orderId + " completes").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> api.get("/orders/" + orderId).body().get("status").asString(), "COMPLETED"::equals);
      List<Payload> payloads = payloadsOutsideSearchAttributes(env.workflowClient.fetchHistory(workflowId).getHistory());
      assertThat(payloads).as("plaintext from before the switch, encrypted after it")
          .anyMatch(PayloadEncryptionCodec::isEncrypted).anyMatch(p -> !PayloadEncryptionCodec.isEncrypted(p));
    }
  }

  @Test
  @Order(3)
  void anOrderUnderAKeyTheWorkersLackWaitsNamingItUntilTheKeyArrives() throws Exception {
    // The api is rolled out first with a new key (the test keys' second, newest); the workers still lack it.
    env.restartApi(Map.of("ORDERS_ENCRYPTION_KEYS", env.allPayloadKeys));
    JsonNode order = placeDistinctiveOrder(null);
    String workflowId = order.get("workflowId").asString();
    String orderId = order.get("orderId").asString();

    HistoryEvent failed = await("a failed workflow task").atMost(Duration.ofSeconds(60))
        .until(() -> env.workflowClient.fetchHistory(workflowId).getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).findFirst().orElse(null),
            e -> e != null);
    // the SDK wraps the codec's refusal: the key id is in the cause chain, as the Web UI shows it
    StringBuilder messages = new StringBuilder();
    for (Throwable t = env.workflowClient.getOptions().getDataConverter()
        .failureToException(failed.getWorkflowTaskFailedEventAttributes().getFailure()); t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    assertThat(messages.toString()).contains("key id 'test-only-b'").contains("ORDERS_ENCRYPTION_KEYS");
    assertThat(api.get("/orders/" + orderId).body().get("status").asString()).isEqualTo("PENDING");

    // The key reaches the workers: the same order goes on and completes, nothing lost.
    env.restartApiAndWorkers(Map.of("ORDERS_ENCRYPTION_KEYS", env.allPayloadKeys));
    await("order " + orderId + " completes once the workers have the key").atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> api.get("/orders/" + orderId).body().get("status").asString(), "COMPLETED"::equals);
  }

  private JsonNode placeDistinctiveOrder(String prefer) {
    String body = orderJson("user_1", "product_1", 1, distinctiveAddress());
    Api.Response placed = prefer == null ? api.post("/orders", body) : api.post("/orders", body, "Prefer", prefer);
    assertThat(placed.status()).isIn(200, 201, 202);
    return placed.body();
  }

  private static String distinctiveAddress() {
    return """
        {"name":"%s","line1":"%s","city":"Springfield","postalCode":"12345","country":"US"}"""
        .formatted(PLAIN_ADDRESS_NAME, PLAIN_STREET);
  }

  private static HistoryEvent startedEvent(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).findFirst().orElseThrow();
  }

  /** Every Payload in {@code message}, at any depth, except search attributes and headers (readable by design). */
  /** Keys of a local activity marker's details that the SDK writes in plaintext (LocalActivityMarkerUtils). */
  private static final Set<String> LOCAL_ACTIVITY_BOOKKEEPING = Set.of("activityId", "type", "time", "meta");

  private static List<Payload> payloadsOutsideSearchAttributes(Message message) {
    List<Payload> found = new ArrayList<>();
    collect(message, found);
    return found;
  }

  private static void collect(Object value, List<Payload> found) {
    if (value instanceof Payload payload) {
      found.add(payload);
    } else if (value instanceof SearchAttributes || value instanceof Header
        || (value instanceof MarkerRecordedEventAttributes marker && marker.getMarkerName().equals("Version"))) {
      // plaintext by design: search attributes (OrderStatus, CustomerId, OrderTotal) so that the server can
      // index them; headers, where the tracing interceptors carry trace and span ids; and the SDK's
      // Workflow.getVersion markers (a change id and a number). None holds personal data.
    } else if (value instanceof MarkerRecordedEventAttributes marker && marker.getMarkerName().equals("LocalActivity")) {
      // a local activity's marker: its input and result go through the codec; the SDK's own bookkeeping
      // beside them (activity id, type, time, attempt) stays readable for replay, like a version marker
      marker.getDetailsMap().forEach((key, details) -> {
        if (!LOCAL_ACTIVITY_BOOKKEEPING.contains(key)) {
          collect(details, found);
        }
      });
      collect(marker.getFailure(), found);
    } else if (value instanceof Message message) {
      message.getAllFields().values().forEach(field -> collect(field, found));
    } else if (value instanceof List<?> list) {
      list.forEach(item -> collect(item, found));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(item -> collect(item, found));
    }
  }

  private static String cli(String... args) throws IOException, InterruptedException {
    ProcessBuilder command = env.temporalCli(List.of(args));
    Process process = command.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private static HttpResponse<Void> preflight(String origin) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(env.apiUrl + "/codec/decode"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,x-namespace").build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
