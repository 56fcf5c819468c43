package com.example.orders.domain.inventory;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ProductRepository {

  private final JdbcClient jdbc;

  public ProductRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<Product> findAll() {
    return jdbc.sql("SELECT sku, name, price, available, reserved, sold FROM products ORDER BY sku")
        .query(ProductRepository::map)
        .list();
  }

  public Optional<Product> find(String sku) {
    return jdbc.sql("SELECT sku, name, price, available, reserved, sold FROM products WHERE sku = :sku")
        .param("sku", sku)
        .query(ProductRepository::map)
        .optional();
  }

  public List<Product> findAll(Collection<String> skus) {
    return jdbc.sql("SELECT sku, name, price, available, reserved, sold FROM products WHERE sku IN (:skus) ORDER BY sku")
        .param("skus", skus)
        .query(ProductRepository::map)
        .list();
  }

  /**
   * Row-locks the products in SKU order: every transaction that locks several products does it in
   * this one order, so two orders over the same SKUs wait for each other instead of deadlocking.
   * NO KEY UPDATE excludes every other stock change but, unlike FOR UPDATE, not the foreign-key
   * checks of orders being recorded for the same SKU.
   */
  public List<Product> lockInSkuOrder(Collection<String> skus) {
    return jdbc.sql("SELECT sku, name, price, available, reserved, sold FROM products WHERE sku IN (:skus) ORDER BY sku FOR NO KEY UPDATE")
        .param("skus", skus)
        .query(ProductRepository::map)
        .list();
  }

  public static final int ORDER_ROW_MISSING = -1;
  /** SQLSTATEs reserve_inventory raises for a refusal. */
  public static final String OUT_OF_STOCK = "OR001";
  public static final String UNKNOWN_SKU = "OR002";
  /** The order's undo has begun: the recorded failure's message, its reason in the error's DETAIL. */
  public static final String ORDER_UNDONE = "OR003";

  /**
   * The reserveInventory step as one call of the {@code reserve_inventory} function (migrations V4
   * and V13), in autocommit: one statement, one transaction. Refusals arrive as SQLSTATE
   * {@link #OUT_OF_STOCK}, {@link #UNKNOWN_SKU} or {@link #ORDER_UNDONE}.
   *
   * @return the attempt that made the reservation, 0 if a release fenced the order off, or
   *     {@link #ORDER_ROW_MISSING}
   */
  public int reserveInventory(String orderId, int attempt, List<String> skus, List<Integer> quantities) {
    return jdbc.sql("SELECT reserve_inventory(:orderId, :attempt, :skus, :quantities)")
        .param("orderId", orderId)
        .param("attempt", attempt)
        .param("skus", skus.toArray(String[]::new))
        .param("quantities", quantities.toArray(Integer[]::new))
        .query(Integer.class)
        .single();
  }

  /** Moves units between the stock columns of a locked row: (available, reserved, sold) += deltas. */
  public void adjust(String sku, int availableDelta, int reservedDelta, int soldDelta) {
    jdbc.sql("""
            UPDATE products SET available = available + :a, reserved = reserved + :r, sold = sold + :s,
                                updated_at = now()
            WHERE sku = :sku""")
        .param("a", availableDelta)
        .param("r", reservedDelta)
        .param("s", soldDelta)
        .param("sku", sku)
        .update();
  }

  public void insert(String sku, String name, BigDecimal price, int available) {
    jdbc.sql("INSERT INTO products (sku, name, price, available) VALUES (:sku, :name, :price, :available)")
        .param("sku", sku)
        .param("name", name)
        .param("price", price)
        .param("available", available)
        .update();
  }

  public void update(String sku, String name, BigDecimal price, int available) {
    jdbc.sql("UPDATE products SET name = :name, price = :price, available = :available, updated_at = now() WHERE sku = :sku")
        .param("sku", sku)
        .param("name", name)
        .param("price", price)
        .param("available", available)
        .update();
  }

  private static Product map(ResultSet rs, int rowNum) throws SQLException {
    return new Product(rs.getString("sku"), rs.getString("name"), rs.getBigDecimal("price"),
        rs.getInt("available"), rs.getInt("reserved"), rs.getInt("sold"));
  }
}
