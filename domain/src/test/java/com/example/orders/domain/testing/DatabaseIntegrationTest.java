package com.example.orders.domain.testing;

import com.example.orders.domain.demo.DemoData;
import com.example.orders.devtools.postgres.TestPostgres;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.domain.order.OrderService;
import com.example.orders.workflows.order.ShippingAddress;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the services against a real PostgreSQL with the real migrations. Each
 * test starts from the demo data (docs/API.md): product_1 50.00 x 100, product_2 120.00 x 50, product_3
 * 300.00 x 25; user_1 1000.00, user_2 500.00, user_3 200.00.
 */
@SpringBootTest(classes = DomainTestApplication.class)
public abstract class DatabaseIntegrationTest {

  private static final String URL = TestPostgres.newDatabase("activities");

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> URL);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
    registry.add("spring.datasource.hikari.connection-init-sql", () -> "SET lock_timeout = '2s'");
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "40");
  }

  @Autowired protected JdbcClient jdbc;
  @Autowired protected DemoData demoData;
  @Autowired protected OrderService orderService;

  @BeforeEach
  void resetToDemoData() {
    demoData.reset("test");
  }

  protected static OrderRequest order(String customerId, String country, OrderLine... lines) {
    BigDecimal total = List.of(lines).stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    return new OrderRequest(UUID.randomUUID().toString(), customerId, List.of(lines),
        new ShippingAddress("Ada Lovelace", "1 Main St", "Springfield", "12345", country),
        total.setScale(2), "USD", "hash");
  }

  protected static OrderLine line(String sku, int quantity, String unitPrice) {
    return new OrderLine(sku, quantity, new BigDecimal(unitPrice));
  }

  /** Records the order as the API would have, so steps after the first find it. */
  protected OrderRequest recorded(OrderRequest order) {
    orderService.record(order, null, order.customerId());
    return order;
  }

  protected int available(String sku) {
    return jdbc.sql("SELECT available FROM products WHERE sku = :sku").param("sku", sku).query(Integer.class).single();
  }

  protected int reserved(String sku) {
    return jdbc.sql("SELECT reserved FROM products WHERE sku = :sku").param("sku", sku).query(Integer.class).single();
  }

  protected int sold(String sku) {
    return jdbc.sql("SELECT sold FROM products WHERE sku = :sku").param("sku", sku).query(Integer.class).single();
  }

  protected BigDecimal balance(String customerId) {
    return jdbc.sql("SELECT balance FROM customers WHERE customer_id = :id").param("id", customerId)
        .query(BigDecimal.class).single();
  }

  protected long loyaltyPoints(String customerId) {
    return jdbc.sql("SELECT loyalty_points FROM customers WHERE customer_id = :id").param("id", customerId)
        .query(Long.class).single();
  }

  protected String status(String orderId) {
    return jdbc.sql("SELECT status FROM orders WHERE order_id = :id").param("id", orderId).query(String.class).single();
  }

  protected int count(String sql) {
    return jdbc.sql(sql).query(Integer.class).single();
  }
}
