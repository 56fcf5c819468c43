package com.example.orders.api.order;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import com.example.orders.api.ApiSliceConfiguration;
import com.example.orders.domain.audit.AuditLog;
import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.inventory.Product;
import com.example.orders.domain.order.OrderRecord;
import com.example.orders.domain.order.OrderRepository;
import com.example.orders.domain.order.OrderService;
import com.example.orders.domain.order.StepLedger;
import com.example.orders.domain.payment.Customer;
import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.ShippingAddress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.internal.sync.StubMarker;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The slice the order endpoints' tests share (one Spring context for all of them): OrderController
 * with the api's own order services as they are (submission, cancellation, review, views, links:
 * what is 403, 404, 409 or 422 is decided there), and everything behind them mocked: the domain's
 * PostgreSQL services and repositories, the Temporal client, and the wait for a final status.
 */
@WebMvcTest(OrderController.class)
@ContextConfiguration(classes = ApiSliceConfiguration.class)
@Import({OrderSubmission.class, OrderCancellation.class, OrderReviewing.class, OrderViews.class, OrderLinks.class})
abstract class OrderControllerSlice {

  static final String ADDRESS_US = """
      {"name":"Ada Lovelace","line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"}""";
  static final OffsetDateTime CREATED = OffsetDateTime.parse("2026-12-01T10:00:00Z");

  @Autowired
  MockMvc mvc;

  /** The Temporal client (ApiSliceConfiguration): stub newWorkflowStub to hand out {@link #workflowStub()}. */
  @Autowired
  WorkflowClient temporal;

  @MockitoBean
  OrderRepository orders;

  @MockitoBean
  OrderService orderService;

  @MockitoBean
  InventoryService inventory;

  @MockitoBean
  PaymentService payments;

  @MockitoBean
  AuditLog audit;

  @MockitoBean
  StepLedger ledger;

  @MockitoBean
  ShippingService shipping;

  /** Prefer: wait's wait for a final status (PostgreSQL notifications, or Temporal). */
  @MockitoBean
  OrderOutcomes outcomes;

  /** The demo data of docs/API.md: customers user_1..3, products product_1..3. */
  @BeforeEach
  void demoData() {
    Map<String, Customer> customers = Map.of(
        "user_1", new Customer("user_1", "User 1", new BigDecimal("1000.00"), 0),
        "user_2", new Customer("user_2", "User 2", new BigDecimal("500.00"), 0),
        "user_3", new Customer("user_3", "User 3", new BigDecimal("200.00"), 0));
    given(payments.findCustomer(anyString()))
        .willAnswer(call -> Optional.ofNullable(customers.get(call.<String>getArgument(0))));
    Map<String, Product> catalog = Map.of(
        "product_1", new Product("product_1", "Product 1", new BigDecimal("50.00"), 100, 0, 0),
        "product_2", new Product("product_2", "Product 2", new BigDecimal("120.00"), 50, 0, 0),
        "product_3", new Product("product_3", "Product 3", new BigDecimal("300.00"), 25, 0, 0));
    given(inventory.findProducts(anyList())).willAnswer(call -> call.<List<String>>getArgument(0).stream()
        .filter(catalog::containsKey).map(catalog::get).toList());
  }

  static String orderJson(String customerId, String sku, int quantity) {
    return """
        {"customerId":"%s","items":[{"sku":"%s","quantity":%d}],"shippingAddress":%s}"""
        .formatted(customerId, sku, quantity, ADDRESS_US);
  }

  /** A typed order workflow stub as the client hands out, whose untyped stub (for cancel) is a mock too. */
  static OrderWorkflow workflowStub() {
    OrderWorkflow stub = mock(OrderWorkflow.class, withSettings().extraInterfaces(StubMarker.class));
    WorkflowStub untyped = mock(WorkflowStub.class);
    given(((StubMarker) stub).__getUntypedStub()).willReturn(untyped);
    return stub;
  }

  static WorkflowStub untyped(OrderWorkflow stub) {
    return (WorkflowStub) ((StubMarker) stub).__getUntypedStub();
  }

  /** Every new order's workflow is started on this stub. */
  OrderWorkflow givenWorkflowsStart() {
    OrderWorkflow stub = workflowStub();
    given(temporal.newWorkflowStub(eq(OrderWorkflow.class), any(WorkflowOptions.class))).willReturn(stub);
    return stub;
  }

  /** The running order {@code orderId}'s workflow, as cancel and review reach it. */
  OrderWorkflow givenWorkflow(String orderId) {
    OrderWorkflow stub = workflowStub();
    given(temporal.newWorkflowStub(OrderWorkflow.class, "order-" + orderId)).willReturn(stub);
    return stub;
  }

  /** An order row: 2 x product_1 (100.00) to Ada Lovelace. */
  static OrderRecord order(String orderId, String customerId, OrderStatus status) {
    return new OrderRecord(orderId, customerId, status, new BigDecimal("100.00"), "USD",
        new ShippingAddress("Ada Lovelace", "1 Main St", "Springfield", "12345", "US"), "request-hash", null, null,
        null, customerId, CREATED, CREATED.plusMinutes(1));
  }

  /** The order is stored (row and lines). */
  void givenOrder(OrderRecord order) {
    given(orders.find(order.orderId())).willReturn(Optional.of(order));
    given(orders.lines(order.orderId())).willReturn(List.of(new OrderLine("product_1", 2, new BigDecimal("50"))));
  }
}
