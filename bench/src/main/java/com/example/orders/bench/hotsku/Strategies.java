package com.example.orders.bench.hotsku;

import com.example.orders.domain.inventory.InventoryService;
import com.example.orders.domain.order.BusinessRuleViolation;
import com.example.orders.workflows.order.OrderFailureReason;
import com.example.orders.workflows.order.OrderLine;
import com.example.orders.workflows.order.OrderRequest;
import com.example.orders.domain.order.OrderService;
import com.example.orders.workflows.order.ShippingAddress;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reservation strategies compared on one hot row. The bare ones are plain JDBC on the same
 * pool the services use; each moves units available -> reserved exactly like the production path.
 */
final class Strategies {

  static final String SKU = "hot";
  static final String CUSTOMER = "bench-hot-customer";

  /** The one statement every strategy must run at least once; pgbench runs exactly this. */
  static final String MOVE = "UPDATE products SET available = available - ?, reserved = reserved + ?, updated_at = now() WHERE sku = ?";

  private Strategies() {}

  /** BEGIN; SELECT ... FOR UPDATE; check; UPDATE; COMMIT: the row is locked for three round trips. */
  static Strategy lockThenUpdate(DataSource db) {
    return new Strategy() {
      public String name() {
        return "SELECT ... FOR UPDATE, then UPDATE";
      }

      public boolean reserve(int quantity) throws SQLException {
        try (Connection c = db.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement lock = c.prepareStatement("SELECT available FROM products WHERE sku = ? FOR UPDATE")) {
            lock.setString(1, SKU);
            try (ResultSet rs = lock.executeQuery()) {
              if (!rs.next() || rs.getInt(1) < quantity) {
                c.rollback();
                return false;
              }
            }
            try (PreparedStatement move = c.prepareStatement(MOVE)) {
              move.setInt(1, quantity);
              move.setInt(2, quantity);
              move.setString(3, SKU);
              move.executeUpdate();
            }
            c.commit();
            return true;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
    };
  }

  /**
   * One statement in autocommit: UPDATE ... WHERE available >= q RETURNING. PostgreSQL re-checks
   * the condition on the newest row version after waiting for the lock, so it cannot oversell.
   */
  static Strategy conditionalUpdate(DataSource db) {
    return new Strategy() {
      public String name() {
        return "conditional UPDATE ... WHERE available >= q RETURNING";
      }

      public boolean reserve(int quantity) throws SQLException {
        try (Connection c = db.getConnection();
            PreparedStatement move = c.prepareStatement(
                "UPDATE products SET available = available - ?, reserved = reserved + ?, updated_at = now() "
                    + "WHERE sku = ? AND available >= ? RETURNING available")) {
          move.setInt(1, quantity);
          move.setInt(2, quantity);
          move.setString(3, SKU);
          move.setInt(4, quantity);
          try (ResultSet rs = move.executeQuery()) {
            return rs.next();
          }
        }
      }
    };
  }

  /**
   * The conditional UPDATE inside an explicit transaction: BEGIN; UPDATE ... WHERE available >= q;
   * COMMIT. Same statement as above, but the row stays locked while the COMMIT makes its round trip
   * from the client: the part of the production path's cost that comes from being a transaction.
   */
  static Strategy conditionalUpdateInTransaction(DataSource db) {
    return new Strategy() {
      public String name() {
        return "conditional UPDATE in a transaction (BEGIN; UPDATE; COMMIT)";
      }

      public boolean reserve(int quantity) throws SQLException {
        try (Connection c = db.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement move = c.prepareStatement(
              "UPDATE products SET available = available - ?, reserved = reserved + ?, updated_at = now() "
                  + "WHERE sku = ? AND available >= ?")) {
            move.setInt(1, quantity);
            move.setInt(2, quantity);
            move.setString(3, SKU);
            move.setInt(4, quantity);
            boolean moved = move.executeUpdate() == 1;
            c.commit();
            return moved;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        }
      }
    };
  }

  /**
   * Read without a lock, then UPDATE only if the row version is still the one read; retry from the
   * read otherwise. The version is PostgreSQL's xmin (every UPDATE writes a new row version), so
   * the schema needs no version column.
   */
  static Strategy optimistic(DataSource db) {
    AtomicLong retries = new AtomicLong();
    return new Strategy() {
      public String name() {
        return "optimistic: read, UPDATE ... WHERE version unchanged, retry";
      }

      public boolean reserve(int quantity) throws SQLException {
        try (Connection c = db.getConnection();
            PreparedStatement read = c.prepareStatement("SELECT available, xmin::text FROM products WHERE sku = ?");
            PreparedStatement move = c.prepareStatement(
                "UPDATE products SET available = available - ?, reserved = reserved + ?, updated_at = now() "
                    + "WHERE sku = ? AND xmin = ?::text::xid")) {
          for (int attempt = 0; attempt < 100_000; attempt++) {
            read.setString(1, SKU);
            String version;
            try (ResultSet rs = read.executeQuery()) {
              if (!rs.next() || rs.getInt(1) < quantity) {
                return false;
              }
              version = rs.getString(2);
            }
            move.setInt(1, quantity);
            move.setInt(2, quantity);
            move.setString(3, SKU);
            move.setString(4, version);
            if (move.executeUpdate() == 1) {
              return true;
            }
            retries.incrementAndGet();
          }
          throw new IllegalStateException("optimistic reservation starved");
        }
      }

      public long retries() {
        return retries.get();
      }
    };
  }

  /** Negative control: read, then write the value computed from the read. Loses updates, oversells. */
  static Strategy unsafeReadModifyWrite(DataSource db) {
    return new Strategy() {
      public String name() {
        return "control: read, then SET available = read - q (unsafe)";
      }

      public boolean reserve(int quantity) throws SQLException {
        try (Connection c = db.getConnection();
            PreparedStatement read = c.prepareStatement("SELECT available, reserved FROM products WHERE sku = ?");
            PreparedStatement write = c.prepareStatement(
                "UPDATE products SET available = ?, reserved = ?, updated_at = now() WHERE sku = ?")) {
          read.setString(1, SKU);
          int available;
          int reserved;
          try (ResultSet rs = read.executeQuery()) {
            rs.next();
            available = rs.getInt(1);
            reserved = rs.getInt(2);
          }
          if (available < quantity) {
            return false;
          }
          write.setInt(1, available - quantity);
          write.setInt(2, reserved + quantity);
          write.setString(3, SKU);
          write.executeUpdate();
          return true;
        }
      }

      public boolean control() {
        return true;
      }
    };
  }

  /**
   * The real thing: InventoryService.reserve, the reserveInventory activity's transaction (advisory
   * lock on the order, fencing and idempotency checks, idempotency record, order status, stock).
   *
   * @param recordedByApi true: the order row and its lines were written beforehand, as the API
   *     does when it accepts an order (the normal path; a pool of such orders is inserted before
   *     the run, untimed). false: the reservation writes them itself, the fallback for an order
   *     whose API process died between starting the workflow and writing the row. Inserting the
   *     order's line takes a KEY SHARE lock on the product row (foreign key), which the stock
   *     UPDATE then has to share with every other in-flight order of the same SKU.
   */
  static Strategy production(InventoryService inventory, OrderService orderService, JdbcClient jdbc,
      boolean recordedByApi) {
    AtomicLong next = new AtomicLong();
    AtomicLong pool = new AtomicLong();
    AtomicLong unprepared = new AtomicLong();
    return new Strategy() {
      public String name() {
        return recordedByApi
            ? "production: InventoryService.reserve (order recorded by the API)"
            : "production: InventoryService.reserve writing the order row too";
      }

      public void prepare(int expectedReservations) {
        next.set(0);
        unprepared.set(0);
        if (recordedByApi) {
          recordOrders(jdbc, expectedReservations);
          pool.set(expectedReservations);
        }
      }

      public boolean reserve(int quantity) {
        OrderRequest order = order(quantity);
        if (recordedByApi) {
          long n = next.incrementAndGet();
          if (n <= pool.get() && quantity == 1) {
            order = new OrderRequest("pre-" + n, order.customerId(), order.lines(), order.shippingAddress(),
                order.total(), order.currency(), order.requestHash());
          } else {
            unprepared.incrementAndGet();
            orderService.record(order, null, CUSTOMER); // the pool ran out: record it as the API would
          }
        }
        try {
          return inventory.reserve(order, 1) == 1;
        } catch (BusinessRuleViolation v) {
          if (OrderFailureReason.OUT_OF_STOCK.equals(v.reason())) {
            return false;
          }
          throw v;
        }
      }

      public String notes() {
        return unprepared.get() == 0 ? "" : unprepared.get() + " orders beyond the prepared pool were recorded inline";
      }
    };
  }

  /** Orders pre-1 .. pre-n with one line of the hot SKU, as OrderService.record writes them when the API accepts one. */
  static void recordOrders(JdbcClient jdbc, int n) {
    jdbc.sql("""
            INSERT INTO orders (order_id, customer_id, status, total, currency, ship_name, ship_line1,
                                ship_city, ship_postal_code, ship_country, request_hash)
            SELECT 'pre-' || g, :customer, 'PENDING', 1.00, 'USD', 'Bench Buyer', '1 Load St',
                   'Springfield', '12345', 'US', 'bench'
            FROM generate_series(1, :n) g""")
        .param("customer", CUSTOMER).param("n", n).update();
    jdbc.sql("INSERT INTO order_items (order_id, sku, quantity, unit_price) SELECT 'pre-' || g, :sku, 1, 1.00 FROM generate_series(1, :n) g")
        .param("sku", SKU).param("n", n).update();
    jdbc.sql("VACUUM ANALYZE orders").update();
    jdbc.sql("VACUUM ANALYZE order_items").update();
    jdbc.sql("CHECKPOINT").update();
  }

  static OrderRequest order(int quantity) {
    BigDecimal price = new BigDecimal("1.00");
    return new OrderRequest(UUID.randomUUID().toString(), CUSTOMER,
        List.of(new OrderLine(SKU, quantity, price)),
        new ShippingAddress("Bench Buyer", "1 Load St", "Springfield", "12345", "US"),
        price.multiply(BigDecimal.valueOf(quantity)).setScale(2), "USD", "bench");
  }
}
