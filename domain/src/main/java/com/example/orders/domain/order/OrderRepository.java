package com.example.orders.domain.order;

import com.example.orders.domain.outbox.Outbox;
import com.example.orders.workflows.order.OrderFailure;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.workflows.order.OrderReview;
import com.example.orders.workflows.order.OrderStatus;
import com.example.orders.workflows.order.ShippingAddress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class OrderRepository {

  private static final String COLUMNS = """
      order_id, customer_id, status, total, currency, ship_name, ship_line1, ship_city,
      ship_postal_code, ship_country, request_hash, idempotency_key, failure_step, failure_reason,
      failure_message, failure_attempts, loyalty_points_awarded, submitted_by, created_at, updated_at""";

  private final JdbcClient jdbc;
  private final Outbox outbox;

  public OrderRepository(JdbcClient jdbc, Outbox outbox) {
    this.jdbc = jdbc;
    this.outbox = outbox;
  }

  /**
   * Records the order and its lines unless a row with this id exists. Both the API (right after
   * starting the workflow) and the workflow's first step call it, so whichever comes first wins; the
   * API's call still adds the idempotency key and submitter, which only it knows. The call that
   * inserts the row writes OrderPlaced, so the event exists exactly once, whoever wrote the order.
   *
   * @return true if this call inserted the order
   */
  public boolean insertIfAbsent(OrderRequest order, String idempotencyKey, String submittedBy) {
    ShippingAddress address = order.shippingAddress();
    int inserted = jdbc.sql("""
            INSERT INTO orders (order_id, customer_id, status, total, currency, ship_name, ship_line1,
                                ship_city, ship_postal_code, ship_country, request_hash, idempotency_key,
                                submitted_by)
            VALUES (:orderId, :customerId, 'PENDING', :total, :currency, :name, :line1, :city,
                    :postalCode, :country, :requestHash, :idempotencyKey, :submittedBy)
            ON CONFLICT (order_id) DO NOTHING""")
        .param("orderId", order.orderId())
        .param("customerId", order.customerId())
        .param("total", order.total())
        .param("currency", order.currency())
        .param("name", address.name())
        .param("line1", address.line1())
        .param("city", address.city())
        .param("postalCode", address.postalCode())
        .param("country", address.country())
        .param("requestHash", order.requestHash())
        .param("idempotencyKey", idempotencyKey)
        .param("submittedBy", submittedBy)
        .update();
    if (inserted == 0) {
      if (idempotencyKey != null || submittedBy != null) {
        // the workflow's first step wrote the row first (it knows neither): the api's call completes it
        jdbc.sql("""
                UPDATE orders SET idempotency_key = coalesce(idempotency_key, :idempotencyKey),
                                  submitted_by = coalesce(submitted_by, :submittedBy)
                WHERE order_id = :orderId""")
            .param("orderId", order.orderId())
            .param("idempotencyKey", idempotencyKey)
            .param("submittedBy", submittedBy)
            .update();
      }
      return false;
    }
    for (OrderLine line : order.lines()) {
      jdbc.sql("INSERT INTO order_items (order_id, sku, quantity, unit_price) VALUES (:orderId, :sku, :quantity, :unitPrice)")
          .param("orderId", order.orderId())
          .param("sku", line.sku())
          .param("quantity", line.quantity())
          .param("unitPrice", line.unitPrice())
          .update();
    }
    Map<String, Object> placed = new LinkedHashMap<>();
    placed.put("total", Outbox.money(order.total()));
    placed.put("currency", order.currency());
    placed.put("items", order.lines().stream().map(line -> Map.of(
        "sku", line.sku(), "quantity", line.quantity(), "unitPrice", Outbox.money(line.unitPrice()))).toList());
    outbox.orderEvent(order.orderId(), order.customerId(), "OrderPlaced", placed);
    return true;
  }

  public Optional<OrderRecord> find(String orderId) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM orders WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query(OrderRepository::mapOrder)
        .optional();
  }

  /** The order's status alone, or empty while its row is not written yet. */
  public Optional<OrderStatus> status(String orderId) {
    return jdbc.sql("SELECT status FROM orders WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query((rs, n) -> OrderStatus.valueOf(rs.getString("status")))
        .optional();
  }

  /** The order's lines, SKU ascending: the global lock order for products. */
  public List<OrderLine> lines(String orderId) {
    return jdbc.sql("SELECT sku, quantity, unit_price FROM order_items WHERE order_id = :orderId ORDER BY sku")
        .param("orderId", orderId)
        .query((rs, n) -> new OrderLine(rs.getString("sku"), rs.getInt("quantity"), rs.getBigDecimal("unit_price")))
        .list();
  }

  public void updateStatus(String orderId, OrderStatus status) {
    jdbc.sql("UPDATE orders SET status = :status, updated_at = now() WHERE order_id = :orderId")
        .param("status", status.name())
        .param("orderId", orderId)
        .update();
  }

  public void updateStatusAndFailure(String orderId, OrderStatus status, OrderFailure failure) {
    jdbc.sql("""
            UPDATE orders SET status = :status, failure_step = :step, failure_reason = :reason,
                              failure_message = :message, failure_attempts = :attempts,
                              updated_at = now()
            WHERE order_id = :orderId""")
        .param("status", status.name())
        .param("step", failure == null ? null : failure.step())
        .param("reason", failure == null ? null : failure.reason())
        .param("message", failure == null ? null : failure.message())
        .param("attempts", failure == null ? null : failure.attempts())
        .param("orderId", orderId)
        .update();
  }

  public void completeWithLoyaltyPoints(String orderId, long points) {
    jdbc.sql("UPDATE orders SET status = 'COMPLETED', loyalty_points_awarded = :points, updated_at = now() WHERE order_id = :orderId")
        .param("points", points)
        .param("orderId", orderId)
        .update();
  }

  /**
   * Newest first, keyset-paginated on (created_at, order_id) so pages stay stable while orders
   * arrive.
   */
  public List<OrderRecord> page(String customerId, OrderStatus status, OffsetDateTime beforeCreatedAt,
      String beforeOrderId, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM orders WHERE true");
    if (customerId != null) {
      sql.append(" AND customer_id = :customerId");
    }
    if (status != null) {
      sql.append(" AND status = :status");
    }
    if (beforeCreatedAt != null) {
      sql.append(" AND (created_at, order_id) < (:beforeCreatedAt, :beforeOrderId)");
    }
    sql.append(" ORDER BY created_at DESC, order_id DESC LIMIT :limit");
    var query = jdbc.sql(sql.toString()).param("limit", limit);
    if (customerId != null) {
      query = query.param("customerId", customerId);
    }
    if (status != null) {
      query = query.param("status", status.name());
    }
    if (beforeCreatedAt != null) {
      query = query.param("beforeCreatedAt", beforeCreatedAt).param("beforeOrderId", beforeOrderId);
    }
    return query.query(OrderRepository::mapOrder).list();
  }

  /** Orders that have been COMPENSATING, without any change, for longer than {@code minutes}: an undo is stuck. */
  public long countStuckCompensating(int minutes) {
    return jdbc.sql("SELECT count(*) FROM orders WHERE status = 'COMPENSATING' AND updated_at < now() - make_interval(mins => :minutes)")
        .param("minutes", minutes)
        .query(Long.class)
        .single();
  }

  /** The review of an order that needed one: its deadline, then how it ended (null outcome while waiting). */
  public record ReviewRecord(OffsetDateTime deadline, String outcome, String note, String decidedBy,
      OffsetDateTime decidedAt) {}

  /** Records the review's deadline; a repeat changes nothing. */
  public void insertReviewIfAbsent(String orderId, OffsetDateTime deadline) {
    jdbc.sql("INSERT INTO order_reviews (order_id, deadline) VALUES (:orderId, :deadline) ON CONFLICT (order_id) DO NOTHING")
        .param("orderId", orderId)
        .param("deadline", deadline)
        .update();
  }

  /** Records how the review ended, unless it already has an outcome (the first one stands). */
  public void decideReview(String orderId, OrderReview review) {
    jdbc.sql("""
            UPDATE order_reviews SET outcome = :outcome, note = :note, decided_by = :decidedBy, decided_at = :decidedAt
            WHERE order_id = :orderId AND outcome IS NULL""")
        .param("orderId", orderId)
        .param("outcome", review.outcome())
        .param("note", review.note())
        .param("decidedBy", review.decidedBy())
        .param("decidedAt", OffsetDateTime.parse(review.decidedAt()))
        .update();
  }

  /** Closes a review still waiting, because the order was cancelled meanwhile. */
  public void closeWaitingReviewAsCancelled(String orderId) {
    jdbc.sql("UPDATE order_reviews SET outcome = 'CANCELLED', decided_at = now() WHERE order_id = :orderId AND outcome IS NULL")
        .param("orderId", orderId)
        .update();
  }

  public Optional<ReviewRecord> findReview(String orderId) {
    return jdbc.sql("SELECT deadline, outcome, note, decided_by, decided_at FROM order_reviews WHERE order_id = :orderId")
        .param("orderId", orderId)
        .query((rs, n) -> new ReviewRecord(rs.getObject("deadline", OffsetDateTime.class), rs.getString("outcome"),
            rs.getString("note"), rs.getString("decided_by"), rs.getObject("decided_at", OffsetDateTime.class)))
        .optional();
  }

  private static OrderRecord mapOrder(ResultSet rs, int rowNum) throws SQLException {
    String reason = rs.getString("failure_reason");
    Long points = rs.getObject("loyalty_points_awarded", Long.class);
    return new OrderRecord(
        rs.getString("order_id"),
        rs.getString("customer_id"),
        OrderStatus.valueOf(rs.getString("status")),
        rs.getBigDecimal("total"),
        rs.getString("currency"),
        new ShippingAddress(rs.getString("ship_name"), rs.getString("ship_line1"), rs.getString("ship_city"),
            rs.getString("ship_postal_code"), rs.getString("ship_country")),
        rs.getString("request_hash"),
        rs.getString("idempotency_key"),
        reason == null ? null : new OrderFailure(rs.getString("failure_step"), reason, rs.getString("failure_message"),
            rs.getInt("failure_attempts")),
        points,
        rs.getString("submitted_by"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class));
  }
}
