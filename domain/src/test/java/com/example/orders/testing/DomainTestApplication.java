package com.example.orders.testing;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The domain's Spring beans (services, repositories, migrations) without any Temporal wiring. */
@SpringBootApplication(scanBasePackages = {
    "com.example.orders.order",
    "com.example.orders.audit",
    "com.example.orders.inventory",
    "com.example.orders.payment",
    "com.example.orders.shipping",
    "com.example.orders.demo"})
@ConfigurationPropertiesScan("com.example.orders.shipping")
public class DomainTestApplication {}
