package com.example.orders;

import com.example.orders.shipping.CarrierProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * The order domain's beans, one list for every process, benchmark and test that uses the domain:
 * services, repositories, the audit log, the demo data and the carrier settings. In the workers
 * process the same packages also hold the activity implementations, which the scan picks up there.
 * The Temporal health indicator is apart ({@code com.example.orders.temporal}): it needs a client.
 */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = {
    "com.example.orders.order",
    "com.example.orders.audit",
    "com.example.orders.inventory",
    "com.example.orders.payment",
    "com.example.orders.shipping",
    "com.example.orders.demo"})
@EnableConfigurationProperties(CarrierProperties.class)
public class DomainConfiguration {}
