package com.example.orders.api.problem;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/** The api's strict JSON reading (package-private) for the slices: unknown fields, coercions and trailing tokens refused. */
@TestConfiguration(proxyBeanMethods = false)
@Import(StrictRequestBodies.class)
public class StrictBodiesForTests {}
