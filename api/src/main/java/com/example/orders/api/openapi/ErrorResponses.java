package com.example.orders.api.openapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The 4xx statuses an operation can answer, each documented as application/problem+json with the
 * Problem schema and an example ({@link ErrorResponsesCustomizer}). 401 and 403 are added to every
 * operation that needs a token.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ErrorResponses {
  int[] value();
}
