package com.example.orders.bench.hotsku;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The domain services and repositories exactly as the workers process wires them (same
 * transactions, same JdbcClient), without Temporal: what the hot-SKU benchmark calls.
 */
@SpringBootApplication(scanBasePackages = {
    "com.example.orders.order",
    "com.example.orders.audit",
    "com.example.orders.inventory",
    "com.example.orders.payment",
    "com.example.orders.shipping"})
@ConfigurationPropertiesScan("com.example.orders.shipping")
public class HotSkuApplication {}
