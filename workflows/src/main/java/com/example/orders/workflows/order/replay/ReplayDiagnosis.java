package com.example.orders.workflows.order.replay;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed replay (WorkflowReplayer) of an OrderWorkflow history into one line that says
 * where the code and the history part ways, for the replay tests and {@code ./run replay}.
 */
public final class ReplayDiagnosis {

  /** The SDK's own marker of the event it was handling: "Failure handling event 14 of type '...'". */
  private static final Pattern FAILED_EVENT =
      Pattern.compile("Failure handling event (\\d+) of type '\\w+' during (?:replay|execution)\\.\\s*");
  private static final Pattern CAUSED_BY = Pattern.compile("Caused by: ([^\\n]*)");

  private ReplayDiagnosis() {}

  /**
   * For example: {@code at event 14 ACTIVITY_TASK_SCHEDULED (chargePayment): [TMPRL1100] Command
   * COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK doesn't match event ... on check activityType ...}.
   */
  public static String explain(Throwable replayFailure, WorkflowExecutionHistory history) {
    String message = String.valueOf(replayFailure.getMessage());
    // The replayer reports "query failure for <execution>, ..., error=<the worker's exception and
    // its stack trace>"; keep the exception's message, and the root cause if there is one.
    int error = message.indexOf("error=");
    String failure = error < 0 ? message : message.substring(error + "error=".length());
    int stackTrace = failure.indexOf("\n\tat ");
    String summary = stackTrace < 0 ? failure : failure.substring(0, stackTrace);
    Matcher rootCause = CAUSED_BY.matcher(failure);
    String lastCause = null;
    while (rootCause.find()) {
      lastCause = rootCause.group(1);
    }
    if (lastCause != null) {
      summary += " Caused by: " + lastCause;
    }
    summary = summary.replaceAll("\\s+", " ").trim(); // protobuf values print over several lines

    Matcher event = FAILED_EVENT.matcher(summary);
    if (!event.find()) {
      return summary;
    }
    long eventId = Long.parseLong(event.group(1));
    return "at event " + eventId + " " + describe(history, eventId) + ": " + summary.substring(event.end());
  }

  private static String describe(WorkflowExecutionHistory history, long eventId) {
    if (eventId < 1 || eventId > history.getEvents().size()) {
      return "(not in the history)";
    }
    HistoryEvent event = history.getEvents().get((int) eventId - 1);
    String type = event.getEventType().name().replaceFirst("^EVENT_TYPE_", "");
    if (event.hasActivityTaskScheduledEventAttributes()) {
      return type + " (" + event.getActivityTaskScheduledEventAttributes().getActivityType().getName() + ")";
    }
    return type;
  }
}
