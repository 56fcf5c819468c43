package com.example.orders.api.order;

import static com.example.orders.api.problem.ProblemMatchers.forbidden;
import static com.example.orders.api.problem.ProblemMatchers.invalidFields;
import static com.example.orders.api.problem.ProblemMatchers.problem;
import static com.example.orders.api.problem.ProblemMatchers.unauthorized;
import static com.example.orders.api.security.TestIssuer.asCarrier;
import static com.example.orders.api.security.TestIssuer.asCustomer;
import static com.example.orders.api.security.TestIssuer.asOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.example.orders.domain.order.OrderRecord;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.jayway.jsonpath.JsonPath;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** POST /orders (docs/API.md, Orders): who may place what, the answer's status and headers, and every way a body is refused. */
class SubmitOrderTests extends OrderControllerSlice {

  @Test
  void aCustomersOrderIsAcceptedWith202AndItsLocation() throws Exception {
    OrderWorkflow workflow = givenWorkflowsStart();
    MvcResult result = mvc.perform(submit(orderJson("user_1", "product_1", 2)).with(asCustomer("user_1")))
        .andExpect(status().isAccepted())
        .andExpect(header().doesNotExist("Preference-Applied"))
        .andExpect(jsonPath("$.customerId").value("user_1"))
        .andExpect(jsonPath("$.status").value("PENDING"))
        .andExpect(jsonPath("$.items[0].sku").value("product_1"))
        .andExpect(jsonPath("$.items[0].quantity").value(2))
        .andExpect(jsonPath("$.currency").value("USD"))
        .andExpect(jsonPath("$.failure").value((Object) null))
        .andExpect(jsonPath("$.steps[*].name")
            .value(contains("reserveInventory", "chargePayment", "createShipment", "confirmOrder")))
        .andExpect(jsonPath("$.steps[*].status").value(everyItem(is("PENDING"))))
        .andReturn();
    String body = result.getResponse().getContentAsString();
    String orderId = JsonPath.read(body, "$.orderId");
    assertThat(result.getResponse().getHeader("Location")).isEqualTo("/orders/" + orderId);
    assertThat(JsonPath.<String>read(body, "$.workflowId")).isEqualTo("order-" + orderId);
    assertThat(JsonPath.<String>read(body, "$.links.self")).isEqualTo("/orders/" + orderId);
    assertThat(JsonPath.<String>read(body, "$.links.temporalUi"))
        .isEqualTo("http://localhost:8233/namespaces/default/workflows/order-" + orderId);
    // money: a JSON number with two decimals, priced from the catalog
    assertThat(body).contains("\"total\":100.00").contains("\"unitPrice\":50.00").contains("\"lineTotal\":100.00");

    ArgumentCaptor<OrderRequest> started = ArgumentCaptor.forClass(OrderRequest.class);
    then(workflow).should().process(started.capture());
    assertThat(started.getValue().orderId()).isEqualTo(orderId);
    assertThat(started.getValue().customerId()).isEqualTo("user_1");
    assertThat(started.getValue().total()).isEqualByComparingTo("100.00");
    then(orderService).should().record(started.getValue(), null, "user_1");
    then(outcomes).shouldHaveNoInteractions();
  }

  @Test
  void preferWaitAnswers200WithTheFinalOrderWhenItEndsInTime() throws Exception {
    givenWorkflowsStart();
    given(outcomes.awaitTerminal(anyString(), eq(Duration.ofSeconds(5)))).willReturn(true);
    given(orders.find(anyString()))
        .willAnswer(call -> Optional.of(order(call.getArgument(0), "user_1", OrderStatus.COMPLETED)));
    mvc.perform(submit(orderJson("user_1", "product_1", 2)).with(asCustomer("user_1")).header("Prefer", "wait=5"))
        .andExpect(status().isOk())
        .andExpect(header().string("Preference-Applied", "wait=5"))
        .andExpect(header().string("Location", startsWith("/orders/")))
        .andExpect(jsonPath("$.status").value("COMPLETED"));
  }

  @Test
  void preferWaitAnswers202WhenTheOrderIsStillRunning() throws Exception {
    givenWorkflowsStart();
    given(outcomes.awaitTerminal(anyString(), eq(Duration.ofSeconds(5)))).willReturn(false);
    mvc.perform(submit(orderJson("user_1", "product_1", 2)).with(asCustomer("user_1")).header("Prefer", "wait=5"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Preference-Applied", "wait=5"))
        .andExpect(jsonPath("$.status").value("PENDING"));
  }

  @Test
  void aWaitIsAtMost60Seconds() throws Exception {
    givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_1", "product_1", 2)).with(asCustomer("user_1")).header("Prefer", "wait=600"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Preference-Applied", "wait=60"));
    then(outcomes).should().awaitTerminal(anyString(), eq(Duration.ofSeconds(60)));
  }

  @Test
  void aPreferenceTheApiCannotReadIsIgnored() throws Exception {
    givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_1", "product_1", 2)).with(asCustomer("user_1")).header("Prefer", "wait=soon"))
        .andExpect(status().isAccepted())
        .andExpect(header().doesNotExist("Preference-Applied"));
    then(outcomes).shouldHaveNoInteractions();
  }

  @Test
  void aCustomerPlacingAnOrderForSomeoneElseIs403AndNothingStarts() throws Exception {
    mvc.perform(submit(orderJson("user_2", "product_1", 1)).with(asCustomer("user_1"))).andExpect(forbidden());
    thenNothingWasStarted();
  }

  @Test
  void anOperatorPlacesOrdersOnACustomersBehalf() throws Exception {
    OrderWorkflow workflow = givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_3", "product_1", 1)).with(asOperator()))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.customerId").value("user_3"))
        .andExpect(jsonPath("$.submittedBy").value("operator"));
    then(workflow).should().process(any());
    then(orderService).should().record(any(), isNull(), eq("operator"));
  }

  @Test
  void theCarrierAndTheAnonymousPlaceNoOrder() throws Exception {
    mvc.perform(submit(orderJson("user_1", "product_1", 1)).with(asCarrier())).andExpect(forbidden());
    mvc.perform(submit(orderJson("user_1", "product_1", 1))).andExpect(unauthorized());
    thenNothingWasStarted();
  }

  // Idempotency-Key ---------------------------------------------------------------------------

  @Test
  void anIdempotencyKeyOf1To255VisibleAsciiCharactersIsAccepted() throws Exception {
    givenWorkflowsStart();
    String visibleAscii = IntStream.rangeClosed(0x21, 0x7E).mapToObj(c -> String.valueOf((char) c))
        .collect(Collectors.joining());
    for (String key : new String[] {"k", visibleAscii, "x".repeat(255)}) {
      mvc.perform(submit(orderJson("user_1", "product_1", 1)).with(asCustomer("user_1")).header("Idempotency-Key", key))
          .andExpect(status().isAccepted());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "tab\tkey", "café", "256"})
  void anyOtherIdempotencyKeyIs400(String key) throws Exception {
    String sent = key.equals("256") ? "x".repeat(256) : key;
    mvc.perform(submit(orderJson("user_1", "product_1", 1)).with(asCustomer("user_1")).header("Idempotency-Key", sent))
        .andExpect(problem(400, "invalid-idempotency-key"));
    thenNothingWasStarted();
  }

  @Test
  void theSameKeyWithTheSameBodyIsTheSameOrderAndNoSecondWorkflow() throws Exception {
    OrderWorkflow workflow = givenWorkflowsStart();
    String body = orderJson("user_1", "product_1", 2);
    String location = mvc.perform(submit(body).with(asCustomer("user_1")).header("Idempotency-Key", "checkout-42"))
        .andExpect(status().isAccepted()).andReturn().getResponse().getHeader("Location");
    OrderRequest first = startedOrder(workflow);
    given(orders.find(first.orderId())).willReturn(Optional.of(stored(first, OrderStatus.RESERVED)));

    mvc.perform(submit(body).with(asCustomer("user_1")).header("Idempotency-Key", "checkout-42"))
        .andExpect(status().isAccepted())
        .andExpect(header().string("Location", location))
        .andExpect(jsonPath("$.orderId").value(first.orderId()))
        .andExpect(jsonPath("$.status").value("RESERVED"));
    then(workflow).should(times(1)).process(any());
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() throws Exception {
    OrderWorkflow workflow = givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_1", "product_1", 2)).with(asCustomer("user_1")).header("Idempotency-Key", "checkout-43"))
        .andExpect(status().isAccepted());
    OrderRequest first = startedOrder(workflow);
    given(orders.find(first.orderId())).willReturn(Optional.of(stored(first, OrderStatus.RESERVED)));

    mvc.perform(submit(orderJson("user_1", "product_1", 3)).with(asCustomer("user_1")).header("Idempotency-Key", "checkout-43"))
        .andExpect(problem(422, "idempotency-key-reused"));
    then(workflow).should(times(1)).process(any());
  }

  @Test
  void theSameKeyWhileTheFirstRequestIsStillBeingProcessedIsTheSameOrder() throws Exception {
    OrderWorkflow workflow = givenWorkflowsStart();
    String body = orderJson("user_1", "product_1", 2);
    mvc.perform(submit(body).with(asCustomer("user_1")).header("Idempotency-Key", "checkout-44"))
        .andExpect(status().isAccepted());
    OrderRequest first = startedOrder(workflow);
    // the first request started the workflow but has not written the row yet
    willThrow(new WorkflowExecutionAlreadyStarted(WorkflowExecution.getDefaultInstance(), "OrderWorkflow", null))
        .given(workflow).process(any());
    given(orders.find(first.orderId()))
        .willReturn(Optional.empty())
        .willReturn(Optional.of(stored(first, OrderStatus.PENDING)));

    mvc.perform(submit(body).with(asCustomer("user_1")).header("Idempotency-Key", "checkout-44"))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.orderId").value(first.orderId()));
  }

  @Test
  void anIdempotencyKeyBelongsToThePrincipalThatSentIt() throws Exception {
    givenWorkflowsStart();
    String body = orderJson("user_1", "product_1", 1);
    String customers = mvc.perform(submit(body).with(asCustomer("user_1")).header("Idempotency-Key", "shared"))
        .andExpect(status().isAccepted()).andReturn().getResponse().getHeader("Location");
    String operators = mvc.perform(submit(body).with(asOperator()).header("Idempotency-Key", "shared"))
        .andExpect(status().isAccepted()).andReturn().getResponse().getHeader("Location");
    assertThat(operators).isNotEqualTo(customers);
  }

  // Items and quantities -----------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {1, 1000})
  void quantitiesFrom1To1000AreAccepted(int quantity) throws Exception {
    givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_1", "product_1", quantity)).with(asCustomer("user_1"))).andExpect(status().isAccepted());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE})
  void otherQuantitiesAre400NamingTheField(int quantity) throws Exception {
    mvc.perform(submit(orderJson("user_1", "product_1", quantity)).with(asCustomer("user_1")))
        .andExpect(invalidFields("/items/0/quantity"));
    thenNothingWasStarted();
  }

  @Test
  void fiftyItemsAreAcceptedAndFiftyOneAre400() throws Exception {
    givenWorkflowsStart();
    mvc.perform(submit(withItems(50)).with(asCustomer("user_1"))).andExpect(status().isAccepted());
    mvc.perform(submit(withItems(51)).with(asCustomer("user_1"))).andExpect(invalidFields("/items"));
    mvc.perform(submit(withItems(0)).with(asCustomer("user_1"))).andExpect(invalidFields("/items"));
  }

  @Test
  void theSameSkuTwiceIsMergedIntoOneLine() throws Exception {
    OrderWorkflow workflow = givenWorkflowsStart();
    mvc.perform(submit("""
            {"customerId":"user_1","items":[{"sku":"product_1","quantity":500},{"sku":"product_1","quantity":500}],
             "shippingAddress":%s}""".formatted(ADDRESS_US)).with(asCustomer("user_1")))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.items", hasSize(1)))
        .andExpect(jsonPath("$.items[0].quantity").value(1000));
    assertThat(startedOrder(workflow).lines()).singleElement()
        .satisfies(line -> assertThat(line.quantity()).isEqualTo(1000));
  }

  @Test
  void aMergedQuantityOver1000Is400() throws Exception {
    mvc.perform(submit("""
            {"customerId":"user_1","items":[{"sku":"product_1","quantity":600},{"sku":"product_1","quantity":600}],
             "shippingAddress":%s}""".formatted(ADDRESS_US)).with(asCustomer("user_1")))
        .andExpect(invalidFields("/items"))
        .andExpect(jsonPath("$.errors[0].detail", containsString("1200")));
    thenNothingWasStarted();
  }

  @Test
  void anUnknownCustomerOrSkuIs422() throws Exception {
    mvc.perform(submit(orderJson("nobody", "product_1", 1)).with(asOperator())).andExpect(problem(422, "unknown-customer"));
    mvc.perform(submit(orderJson("user_1", "no_such_sku", 1)).with(asCustomer("user_1")))
        .andExpect(problem(422, "unknown-sku"))
        .andExpect(jsonPath("$.errors[0].pointer").value("/items"))
        .andExpect(jsonPath("$.errors[0].detail", containsString("no_such_sku")));
    thenNothingWasStarted();
  }

  // Strict bodies ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"{", "[]", "null", "\"text\"", "{\"customerId\":", "{} {}", ""})
  void malformedJsonIs400(String body) throws Exception {
    mvc.perform(submit(body).with(asCustomer("user_1"))).andExpect(problem(400, "malformed-body"));
    thenNothingWasStarted();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"customerId\":\"user_1\",\"total\":0.01,\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s}|/total",
      "{\"customerId\":\"user_1\",\"status\":\"COMPLETED\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s}|/status",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1,\"unitPrice\":0.01}],\"shippingAddress\":%s}|/items/0/unitPrice",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s,\"x\":1}|/x",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":\"1\"}],\"shippingAddress\":%s}|/items/0/quantity",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":\"two\"}],\"shippingAddress\":%s}|/items/0/quantity",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":2.5}],\"shippingAddress\":%s}|/items/0/quantity",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1.0}],\"shippingAddress\":%s}|/items/0/quantity",
      "{\"customerId\":\"user_1\",\"items\":\"many\",\"shippingAddress\":%s}|/items",
      "{\"customerId\":1,\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":%s}|/customerId",
      "{\"customerId\":\"user_1\",\"items\":[{\"sku\":true,\"quantity\":1}],\"shippingAddress\":%s}|/items/0/sku"})
  void unknownFieldsAndWrongTypesAre400NamingTheField(String bodyAndPointer) throws Exception {
    String[] parts = bodyAndPointer.split("\\|");
    mvc.perform(submit(parts[0].formatted(ADDRESS_US)).with(asCustomer("user_1"))).andExpect(invalidFields(parts[1]));
    thenNothingWasStarted();
  }

  @Test
  void missingFieldsAre400WithEveryFieldNamed() throws Exception {
    mvc.perform(submit("{}").with(asCustomer("user_1")))
        .andExpect(invalidFields("/customerId", "/items", "/shippingAddress"));
    mvc.perform(submit("{\"customerId\":\"user_1\",\"items\":[{\"sku\":\"product_1\",\"quantity\":1}],\"shippingAddress\":{}}")
            .with(asCustomer("user_1")))
        .andExpect(invalidFields("/shippingAddress/name", "/shippingAddress/line1", "/shippingAddress/city",
            "/shippingAddress/postalCode", "/shippingAddress/country"));
    thenNothingWasStarted();
  }

  @ParameterizedTest
  @ValueSource(strings = {"user_1' OR '1'='1", "user_1; DROP TABLE orders;--", "\\u0000", "日本", "user 1", ""})
  void hostileCustomerIdsAre400(String customerId) throws Exception {
    mvc.perform(submit(orderJson(customerId, "product_1", 1)).with(asOperator())).andExpect(invalidFields("/customerId"));
    thenNothingWasStarted();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\u0000", "\\u0007bell", "\\ud800"})
  void controlCharactersAndLoneSurrogatesInTheAddressAre400(String name) throws Exception {
    mvc.perform(submit(orderJson("user_1", "product_1", 1).replace("Ada Lovelace", name)).with(asCustomer("user_1")))
        .andExpect(invalidFields("/shippingAddress/name"));
    thenNothingWasStarted();
  }

  @ParameterizedTest
  @ValueSource(strings = {"XX", "us", "USA", "U1"})
  void anythingButAnIsoCountryCodeIs400(String country) throws Exception {
    mvc.perform(submit(orderJson("user_1", "product_1", 1).replace("\"US\"", "\"" + country + "\"")).with(asCustomer("user_1")))
        .andExpect(invalidFields("/shippingAddress/country"));
    thenNothingWasStarted();
  }

  @Test
  void anyIsoCountryIsAcceptedEvenOneTheCarrierDoesNotServe() throws Exception {
    givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_2", "product_1", 1).replace("\"US\"", "\"AQ\"")).with(asCustomer("user_2")))
        .andExpect(status().isAccepted());
  }

  @Test
  void unicodeNamesAreWelcome() throws Exception {
    givenWorkflowsStart();
    mvc.perform(submit(orderJson("user_1", "product_1", 1).replace("Ada Lovelace", "Zoë Łukasiewicz 李小龍 🚀"))
            .with(asCustomer("user_1")))
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.shippingAddress.name").value("Zoë Łukasiewicz 李小龍 🚀"));
  }

  @Test
  void aBodyThatIsNotJsonIs415() throws Exception {
    mvc.perform(post("/orders").with(asCustomer("user_1")).contentType(MediaType.TEXT_PLAIN)
            .content(orderJson("user_1", "product_1", 1)))
        .andExpect(problem(415, "http-415"));
    mvc.perform(post("/orders").with(asCustomer("user_1")).content(orderJson("user_1", "product_1", 1)))
        .andExpect(problem(415, "http-415"));
    thenNothingWasStarted();
  }

  @Test
  void aBodyOver64KiBIs413() throws Exception {
    String huge = "{\"customerId\":\"user_1\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
    mvc.perform(submit(huge).with(asCustomer("user_1"))).andExpect(problem(413, "body-too-large"));
    thenNothingWasStarted();
  }

  // --------------------------------------------------------------------------------------------

  private static MockHttpServletRequestBuilder submit(String body) {
    return post("/orders").contentType(MediaType.APPLICATION_JSON).content(body);
  }

  private static String withItems(int count) {
    String items = IntStream.range(0, count).mapToObj(i -> "{\"sku\":\"product_1\",\"quantity\":1}")
        .collect(Collectors.joining(","));
    return "{\"customerId\":\"user_1\",\"items\":[" + items + "],\"shippingAddress\":" + ADDRESS_US + "}";
  }

  /** The priced order the (last) workflow was started with. */
  private static OrderRequest startedOrder(OrderWorkflow workflow) {
    ArgumentCaptor<OrderRequest> started = ArgumentCaptor.forClass(OrderRequest.class);
    then(workflow).should(atLeastOnce()).process(started.capture());
    return started.getValue();
  }

  /** The row the first request wrote for {@code order}. */
  private static OrderRecord stored(OrderRequest order, OrderStatus status) {
    return new OrderRecord(order.orderId(), order.customerId(), status, order.total(),
        order.currency(), order.shippingAddress(), order.requestHash(), "key", null, null, "user_1", CREATED, CREATED);
  }

  private void thenNothingWasStarted() {
    then(temporal).should(never()).newWorkflowStub(eq(OrderWorkflow.class), any(WorkflowOptions.class));
    then(orderService).shouldHaveNoInteractions();
  }
}
