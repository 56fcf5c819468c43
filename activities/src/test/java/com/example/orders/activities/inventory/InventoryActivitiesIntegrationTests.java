package com.example.orders.activities.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.domain.testing.DatabaseIntegrationTest;
import com.example.orders.workflows.inventory.InventoryActivities;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** A business refusal reaches Temporal as a typed, non-retryable, benign failure (real PostgreSQL, real activity). */
@Import(InventoryActivitiesImpl.class) // the domain's test application scans the domain only
class InventoryActivitiesIntegrationTests extends DatabaseIntegrationTest {

  @Autowired InventoryActivitiesImpl inventoryActivities;

  @Test
  void theActivityReportsANonRetryableFailureTypedWithTheReason() {
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      environment.registerActivitiesImplementations(inventoryActivities);
      InventoryActivities activities = environment.newActivityStub(InventoryActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
      OrderRequest order = order("user_1", "US", line("product_1", 101, "50.00"));

      assertThatThrownBy(() -> activities.reserveInventory(order))
          .isInstanceOf(ActivityFailure.class)
          .cause()
          .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
            assertThat(failure.getType()).isEqualTo(OrderFailureReason.OUT_OF_STOCK);
            assertThat(failure.isNonRetryable()).isTrue();
            assertThat(failure.getOriginalMessage()).contains("101 requested, 100 available");
            assertThat(failure.getCategory()).as("an outcome, not an error").isEqualTo(ApplicationErrorCategory.BENIGN);
          });
    } finally {
      environment.close();
    }
  }
}
