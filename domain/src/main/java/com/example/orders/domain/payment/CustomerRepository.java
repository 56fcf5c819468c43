package com.example.orders.domain.payment;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class CustomerRepository {

  private final JdbcClient jdbc;

  public CustomerRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<Customer> findAll() {
    return jdbc.sql("SELECT customer_id, name, balance, loyalty_points FROM customers ORDER BY customer_id")
        .query(CustomerRepository::map)
        .list();
  }

  public Optional<Customer> find(String customerId) {
    return jdbc.sql("SELECT customer_id, name, balance, loyalty_points FROM customers WHERE customer_id = :id")
        .param("id", customerId)
        .query(CustomerRepository::map)
        .optional();
  }

  public Optional<Customer> lock(String customerId) {
    return jdbc.sql("SELECT customer_id, name, balance, loyalty_points FROM customers WHERE customer_id = :id FOR UPDATE")
        .param("id", customerId)
        .query(CustomerRepository::map)
        .optional();
  }

  /**
   * Debits only if the balance covers the amount, in one atomic conditional update (the row lock
   * it takes is held to commit): no read-then-write window in which two charges both see enough.
   *
   * @return false if the customer is missing or the balance is short
   */
  public boolean debitIfCovered(String customerId, BigDecimal amount) {
    return jdbc.sql("""
            UPDATE customers SET balance = balance - :amount, updated_at = now()
            WHERE customer_id = :id AND balance >= :amount""")
        .param("amount", amount)
        .param("id", customerId)
        .update() == 1;
  }

  public void credit(String customerId, BigDecimal amount) {
    jdbc.sql("UPDATE customers SET balance = balance + :amount, updated_at = now() WHERE customer_id = :id")
        .param("amount", amount)
        .param("id", customerId)
        .update();
  }

  public void addLoyaltyPoints(String customerId, long points) {
    jdbc.sql("UPDATE customers SET loyalty_points = loyalty_points + :points, updated_at = now() WHERE customer_id = :id")
        .param("points", points)
        .param("id", customerId)
        .update();
  }

  public void insert(String customerId, String name, BigDecimal balance) {
    jdbc.sql("INSERT INTO customers (customer_id, name, balance) VALUES (:id, :name, :balance)")
        .param("id", customerId)
        .param("name", name)
        .param("balance", balance)
        .update();
  }

  public void update(String customerId, String name, BigDecimal balance) {
    jdbc.sql("UPDATE customers SET name = :name, balance = :balance, updated_at = now() WHERE customer_id = :id")
        .param("id", customerId)
        .param("name", name)
        .param("balance", balance)
        .update();
  }

  private static Customer map(ResultSet rs, int rowNum) throws SQLException {
    return new Customer(rs.getString("customer_id"), rs.getString("name"), rs.getBigDecimal("balance"),
        rs.getLong("loyalty_points"));
  }
}
