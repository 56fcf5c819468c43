package com.example.orders.domain.audit;

import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Who changed what and when, outside the saga: cancels, stock and price changes, customer changes,
 * demo resets. Callers write it inside the transaction of the change, so the record and the change
 * commit together; every entry is also logged.
 */
@Repository
public class AuditLog {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  /** One recorded action. */
  public record Entry(OffsetDateTime at, String principal, String action, String detail) {}

  private final JdbcClient jdbc;

  public AuditLog(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public static String order(String orderId) {
    return "order:" + orderId;
  }

  public static String product(String sku) {
    return "product:" + sku;
  }

  public static String customer(String customerId) {
    return "customer:" + customerId;
  }

  public void record(String principal, String action, String subject, String detail) {
    jdbc.sql("INSERT INTO audit_log (principal, action, subject, detail) VALUES (:principal, :action, :subject, :detail)")
        .param("principal", principal)
        .param("action", action)
        .param("subject", subject)
        .param("detail", detail)
        .update();
    log.info("audit: {} {} {}: {}", principal, action, subject, detail);
  }

  /** The newest entries about {@code subject}, newest first. */
  public List<Entry> about(String subject, int limit) {
    return jdbc.sql("""
            SELECT at, principal, action, detail FROM audit_log WHERE subject = :subject
            ORDER BY at DESC, id DESC LIMIT :limit""")
        .param("subject", subject)
        .param("limit", limit)
        .query((rs, n) -> new Entry(rs.getObject("at", OffsetDateTime.class), rs.getString("principal"),
            rs.getString("action"), rs.getString("detail")))
        .list();
  }
}
