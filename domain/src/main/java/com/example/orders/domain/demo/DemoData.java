package com.example.orders.domain.demo;

import com.example.orders.domain.audit.AuditLog;
import java.math.BigDecimal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The demo catalog and customers of docs/API.md, loaded at start-up and restored by POST /admin/reset. */
@Service
public class DemoData {

  private record DemoProduct(String sku, String name, String price, int stock) {}

  private record DemoCustomer(String customerId, String name, String balance) {}

  private static final DemoProduct[] PRODUCTS = {
    new DemoProduct("product_1", "Product 1", "50.00", 100),
    new DemoProduct("product_2", "Product 2", "120.00", 50),
    new DemoProduct("product_3", "Product 3", "300.00", 25),
  };

  private static final DemoCustomer[] CUSTOMERS = {
    new DemoCustomer("user_1", "User 1", "1000.00"),
    new DemoCustomer("user_2", "User 2", "500.00"),
    new DemoCustomer("user_3", "User 3", "200.00"),
  };

  private final JdbcClient jdbc;
  private final AuditLog audit;

  public DemoData(JdbcClient jdbc, AuditLog audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  /** Adds whichever demo products and customers are missing; leaves existing rows alone. */
  @Transactional
  public void loadMissing() {
    for (DemoProduct p : PRODUCTS) {
      jdbc.sql("INSERT INTO products (sku, name, price, available) VALUES (:sku, :name, :price, :stock) ON CONFLICT (sku) DO NOTHING")
          .param("sku", p.sku()).param("name", p.name()).param("price", new BigDecimal(p.price()))
          .param("stock", p.stock()).update();
    }
    for (DemoCustomer c : CUSTOMERS) {
      jdbc.sql("INSERT INTO customers (customer_id, name, balance) VALUES (:id, :name, :balance) ON CONFLICT (customer_id) DO NOTHING")
          .param("id", c.customerId()).param("name", c.name()).param("balance", new BigDecimal(c.balance()))
          .update();
    }
  }

  /**
   * Deletes every order, payment, shipment, product and customer and loads the demo data again, in
   * one transaction. Workflows still in flight will fail their next step: reset an idle system.
   */
  @Transactional
  public void reset(String resetBy) {
    jdbc.sql("TRUNCATE shipment_events, order_reviews, order_steps, payments, shipments, order_items, orders, products, customers").update();
    loadMissing();
    audit.record(resetBy, "DEMO_DATA_RESET", "demo-data", "every order, product and customer replaced by the demo data");
  }
}
