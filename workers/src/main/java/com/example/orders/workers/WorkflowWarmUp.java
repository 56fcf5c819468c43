package com.example.orders.workers;

import com.example.orders.workflows.order.OrderContract;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Runs this build's workflow code before the workers take work. A JVM just started runs it
 * interpreted until the JIT has compiled it, and at 20 orders/s that kept the first seconds' orders
 * waiting (docs/performance.md, Tuning). Replaying the histories bundled under
 * {@code warm-up/} runs the workflows and the SDK's state machines as a workflow task does, without
 * Temporal or the database. It happens before the web server starts, so health answers only once warm.
 */
@Component
class WorkflowWarmUp implements SmartInitializingSingleton {

  private static final String HISTORIES = "classpath*:warm-up/*.json";
  private static final Logger log = LoggerFactory.getLogger(WorkflowWarmUp.class);

  private final WorkerFactory factory;
  private final int rounds;

  WorkflowWarmUp(WorkerFactory factory, @Value("${orders.warm-up.rounds}") int rounds) {
    this.factory = factory;
    this.rounds = rounds;
  }

  @Override
  public void afterSingletonsInstantiated() {
    if (rounds > 0) {
      warmUp(bundledHistories());
    }
  }

  /**
   * Replays every history {@code rounds} times; returns the replays done. A history this build cannot
   * replay ends the warm-up with a warning, never the start: the warm-up only saves time.
   */
  int warmUp(List<WorkflowExecutionHistory> histories) {
    Worker worker = factory.getWorker(OrderContract.TASK_QUEUE);
    long started = System.nanoTime();
    int replays = 0;
    for (int round = 0; round < rounds; round++) {
      for (WorkflowExecutionHistory history : histories) {
        try {
          worker.replayWorkflowExecution(history);
        } catch (Exception e) {
          log.warn("Warm-up stopped after {} replays: {} does not replay on this build ({}). Record the "
              + "workflow's new generation (docs/changing-workflows.md), which renews warm-up/.",
              replays, history.getWorkflowExecution().getWorkflowId(), reason(e));
          return replays;
        }
        replays++;
      }
    }
    log.info("Warmed up the workflow code: {} replays of {} histories in {} ms", replays, histories.size(),
        (System.nanoTime() - started) / 1_000_000);
    return replays;
  }

  // The SDK reports a failed replay as a query failure whose text carries the cause after "error=",
  // followed by its stack trace (and, for non-determinism, the event): keep the cause's first line.
  private static String reason(Exception e) {
    String message = String.valueOf(e.getMessage());
    int error = message.indexOf("error=");
    return (error < 0 ? message : message.substring(error + "error=".length())).lines().findFirst().orElse("");
  }

  /** The histories under warm-up/ on the classpath, by file name. */
  static List<WorkflowExecutionHistory> bundledHistories() {
    try {
      Resource[] files = new PathMatchingResourcePatternResolver().getResources(HISTORIES);
      Arrays.sort(files, Comparator.comparing(Resource::getFilename));
      List<WorkflowExecutionHistory> histories = new ArrayList<>();
      for (Resource file : files) {
        histories.add(parse(file.getContentAsString(StandardCharsets.UTF_8), "warm-up/" + file.getFilename()));
      }
      return histories;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // WorkflowExecutionHistory.fromJson needs json-path, which the workers do not ship; the files are
  // protobuf JSON, as the SDK writes them.
  private static WorkflowExecutionHistory parse(String json, String name) throws InvalidProtocolBufferException {
    History.Builder history = History.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(json, history);
    return new WorkflowExecutionHistory(history.build(), name);
  }
}
