package com.example.orders.domain;

import com.example.orders.domain.shipping.CarrierProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The order domain's beans, one list for every process, benchmark and test that uses the domain:
 * services, repositories, the audit log, the outbox, the demo data and the carrier settings. The activity
 * implementations ({@code com.example.orders.activities}) are the workers' own scan, and the Temporal
 * client's wiring ({@code com.example.orders.temporal}) the api's and the workers'.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = {
    "com.example.orders.domain.order",
    "com.example.orders.domain.audit",
    "com.example.orders.domain.inventory",
    "com.example.orders.domain.payment",
    "com.example.orders.domain.shipping",
    "com.example.orders.domain.demo",
    "com.example.orders.domain.outbox"})
@EnableConfigurationProperties(CarrierProperties.class)
public class DomainConfiguration {}
