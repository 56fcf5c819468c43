package com.example.orders.activities.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.domain.payment.PaymentService;
import com.example.orders.domain.shipping.ShippingService;
import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.order.OrderContract;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.shipping.ShipmentState;
import com.example.orders.workflows.shipping.ShipmentSweepActivities;
import com.example.orders.workflows.shipping.ShipmentWorkflow;
import com.example.orders.workflows.shipping.ShipmentWorkflowImpl;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * The deadline sweep's activity on PostgreSQL and Temporal's test server: it starts the tracking of
 * exactly the booked shipments past their deadline, whose workflows then declare them LOST and refund
 * them with the real shipping activities; a second sweep finds nothing.
 */
@Import({ShipmentSweepActivitiesImpl.class, ShippingActivitiesImpl.class, TemporalTestServerConfiguration.class})
class ShipmentSweepActivitiesIntegrationTests extends DatabaseIntegrationTest {

  @Autowired ShipmentSweepActivitiesImpl sweepActivities;
  @Autowired ShippingActivitiesImpl shippingActivities;
  @Autowired ShippingService shipping;
  @Autowired PaymentService payments;
  @Autowired TestWorkflowEnvironment temporal;

  @Test
  void itStartsTheTrackingOfOverdueShipmentsOnlyAndTheyAreLostAndRefundedOnce() throws Exception {
    Worker worker = temporal.newWorker(OrderContract.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ShipmentWorkflowImpl.class);
    worker.registerActivitiesImplementations(shippingActivities);
    temporal.start();
    OrderRequest overdue = paidAndBooked(Duration.ofSeconds(-2));
    OrderRequest alsoOverdue = paidAndBooked(Duration.ofSeconds(-1));
    OrderRequest inTime = paidAndBooked(Duration.ofDays(14));
    assertThat(balance("user_1")).isEqualByComparingTo("850.00");

    assertThat(sweep()).isEqualTo(2);
    for (OrderRequest order : new OrderRequest[] {overdue, alsoOverdue}) {
      ShipmentState result = temporal.getWorkflowClient().newUntypedWorkflowStub(ShipmentWorkflow.workflowId(order.orderId()))
          .getResult(30, TimeUnit.SECONDS, ShipmentState.class);
      assertThat(result.status()).isEqualTo(ShipmentState.LOST);
      assertThat(shipping.findShipment(order.orderId()).orElseThrow().status()).isEqualTo("LOST");
    }

    assertThat(balance("user_1")).as("the two lost parcels refunded").isEqualByComparingTo("950.00");
    assertThat(shipping.findShipment(inTime.orderId()).orElseThrow().status()).isEqualTo("BOOKED");
    assertThatThrownBy(() -> temporal.getWorkflowClient().newUntypedWorkflowStub(ShipmentWorkflow.workflowId(inTime.orderId()))
        .describe()).as("not due: no tracking started").isInstanceOf(WorkflowNotFoundException.class);
    assertThat(shipping.bookedPastDeadline(10)).as("handed over: the sweep's no more").isEmpty();
    assertThat(sweep()).as("nothing left to sweep").isZero();
    assertThat(balance("user_1")).as("refunded once").isEqualByComparingTo("950.00");
  }

  private OrderRequest paidAndBooked(Duration deliveryWithin) {
    OrderRequest order = recorded(order("user_1", "US", line("product_1", 1, "50.00")));
    payments.charge(order.orderId(), 1);
    shipping.book(order.orderId(), 1, deliveryWithin);
    return order;
  }

  private int sweep() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(sweepActivities);
      return environment.newActivityStub(ShipmentSweepActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build())
          .startTrackingOverdueShipments(10);
    } finally {
      environment.close();
    }
  }
}
