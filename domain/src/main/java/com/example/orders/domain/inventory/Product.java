package com.example.orders.domain.inventory;

import java.math.BigDecimal;

/**
 * A catalog entry and its stock: {@code available} can be reserved now, {@code reserved} is held by
 * orders in flight, {@code sold} belongs to confirmed orders.
 */
public record Product(String sku, String name, BigDecimal price, int available, int reserved, int sold) {}
