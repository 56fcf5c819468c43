package com.example.orders.domain.testing;

import com.example.orders.domain.DomainConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** The domain's Spring beans (services, repositories, migrations) without any Temporal wiring. */
@SpringBootApplication
@Import(DomainConfiguration.class)
public class DomainTestApplication {}
