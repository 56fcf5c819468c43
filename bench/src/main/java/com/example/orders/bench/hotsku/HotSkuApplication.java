package com.example.orders.bench.hotsku;

import com.example.orders.domain.DomainConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The domain services and repositories exactly as the workers process wires them (same
 * transactions, same JdbcClient), without Temporal: what the hot-SKU benchmark calls.
 */
@SpringBootApplication
@Import(DomainConfiguration.class)
public class HotSkuApplication {}
