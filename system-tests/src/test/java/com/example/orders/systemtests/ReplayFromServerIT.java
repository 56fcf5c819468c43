package com.example.orders.systemtests;

import static org.awaitility.Awaitility.await;
import static com.example.orders.systemtests.Api.ADDRESS_US;
import static com.example.orders.systemtests.Api.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.workflows.order.CancelAcceptance;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderProgress;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderResult;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.ReviewDecision;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.OrderWorkflow;
import com.example.orders.workflows.order.OrderWorkflowImpl;
import com.example.orders.workflows.order.replay.PinnedBuild;
import com.example.orders.devtools.replay.ReplayFromServer;
import com.example.orders.devtools.replay.ReplayFromServer.Result;
import com.example.orders.devtools.replay.ReplayFromServer.Selection;
import java.time.Duration;
import org.assertj.core.api.Condition;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run replay}'s core against the dev server: the orders this server ran replay against
 * the workflow code of this build, a workflow that cannot replay them is reported, each one, and
 * the open orders are listed by the build they are pinned to.
 */
class ReplayFromServerIT {

  private static final EndToEndEnvironment env = EndToEndEnvironment.get();

  @BeforeAll
  static void ordersRan() {
    Api api = env.client("operator");
    api.resetDemoData();
    assertThat(api.post("/orders", orderJson("user_1", "product_1", 2, ADDRESS_US), "Prefer", "wait=30").status())
        .isEqualTo(200);
    assertThat(api.post("/orders", orderJson("user_1", "product_1", 200, ADDRESS_US), "Prefer", "wait=30").status())
        .isEqualTo(200);
    Invariants.assertHold(api, env.jdbcUrl);
    // Visibility is eventually consistent: wait until both closed runs are listed.
    await("closed workflows listed").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> env.workflowClient.listExecutions("ExecutionStatus != 'Running'").limit(2).count() >= 2);
  }

  @Test
  void closedOrdersOfTheServerReplayAgainstThisBuild() throws Exception {
    Result result = ReplayFromServer.replay(env.workflowClient, OrderContract.WORKFLOW_TYPE, Selection.CLOSED, 50, OrderWorkflowImpl.class);

    assertThat(result.replayed()).isGreaterThanOrEqualTo(2);
    assertThat(result.failures()).isEmpty();
  }

  @Test
  void everyHistoryTheCodeCannotReplayIsReported() throws Exception {
    Result result = ReplayFromServer.replay(env.workflowClient, OrderContract.WORKFLOW_TYPE, Selection.ALL, 50, ReturnsAtOnce.class);

    assertThat(result.replayed()).isGreaterThanOrEqualTo(2);
    assertThat(result.failures()).hasSize(result.replayed())
        .allSatisfy(failure -> assertThat(failure).matches("order-\\S+ \\(run \\S+\\): at event \\d+ .*\\[TMPRL1100].*"));
  }

  @Test
  void anOpenOrderIsListedUnderTheVersionedBuildItIsPinnedTo() {
    Api api = env.client("operator");
    Api.Response placed = api.post("/orders", orderJson("user_1", "product_3", 2, ADDRESS_US)); // 600.00: a review
    assertThat(placed.status()).as(placed.raw()).isEqualTo(202);
    String orderId = placed.body().get("orderId").asString();
    try {
      await("the open order listed under its build").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(ReplayFromServer.openOrdersByBuild(env.workflowClient))
              .hasKeySatisfying(new Condition<>(build -> build.startsWith("orders:"), "a versioned build"))
              .doesNotContainKey(PinnedBuild.UNVERSIONED));
    } finally {
      assertThat(api.post("/orders/" + orderId + "/cancel", "", "Prefer", "wait=30").status()).isEqualTo(200);
    }
  }

  /** An OrderWorkflow that does nothing at all: no recorded order can replay against it. */
  public static class ReturnsAtOnce implements OrderWorkflow {
    @Override
    public OrderResult process(OrderRequest order) {
      return new OrderResult(order.orderId(), OrderStatus.COMPLETED, null);
    }

    @Override
    public OrderProgress progress() {
      return new OrderProgress(null, OrderStatus.PENDING, List.of(), null);
    }

    @Override
    public CancelAcceptance cancel(String reason) {
      return new CancelAcceptance(null, OrderStatus.PENDING);
    }

    @Override
    public void validateCancel(String reason) {}

    @Override
    public OrderReview review(ReviewDecision decision) {
      return null;
    }

    @Override
    public void validateReview(ReviewDecision decision) {}
  }
}
