package com.example.orders.api.order;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;

/** What a workflow's refusal of an update (cancel, review, carrier event) says, for the 409's detail. */
public final class UpdateRefusals {

  /**
   * The refusal's own message, or {@code fallback}. Never its type: SDK 1.38 re-wraps validator
   * failures and loses it (sdk-java #2875), so callers treat any update failure as the refusal.
   */
  public static String detail(WorkflowUpdateException refused, String fallback) {
    return refused.getCause() instanceof ApplicationFailure failure ? failure.getOriginalMessage() : fallback;
  }

  private UpdateRefusals() {}
}
