package com.example.orders.devtools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up copy of a generation is the recorded histories with their payloads decoded, and nothing else. */
class WarmUpHistoriesTests {

  private static final String KEYS = "k1=" + "A".repeat(43) + "=";

  private final PayloadEncryptionCodec encrypting = new PayloadEncryptionCodec(PayloadKeyring.parse(KEYS, "test"), true);
  private final PayloadEncryptionCodec decoding = new PayloadEncryptionCodec(PayloadKeyring.parse(KEYS, "test"), false);

  @TempDir
  Path dir;

  private static Payload json(String text) {
    return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(text)).build();
  }

  /** A history whose payloads sit in a list, in a map (a header) and in a second event. */
  private static History plaintext() {
    return History.newBuilder()
        .addEvents(HistoryEvent.newBuilder().setEventId(1).setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
            .setWorkflowExecutionStartedEventAttributes(WorkflowExecutionStartedEventAttributes.newBuilder()
                .setInput(Payloads.newBuilder().addPayloads(json("{\"orderId\":\"o-1\"}")).addPayloads(json("2")))
                .setHeader(Header.newBuilder().putFields("trace", json("\"abc\"")))))
        .addEvents(HistoryEvent.newBuilder().setEventId(2).setEventType(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
            .setActivityTaskCompletedEventAttributes(ActivityTaskCompletedEventAttributes.newBuilder()
                .setResult(Payloads.newBuilder().addPayloads(json("{\"receipt\":7}")))))
        .build();
  }

  private History encrypted() {
    return WarmUpHistories.withPayloads(plaintext(), payload -> encrypting.encode(List.of(payload)).getFirst());
  }

  @Test
  void decodesEveryPayloadAtAnyDepth() {
    History encrypted = encrypted();
    assertThat(encrypted).as("every payload encrypted first").isNotEqualTo(plaintext());
    assertThat(encrypted.getEvents(0).getWorkflowExecutionStartedEventAttributes().getHeader().getFieldsMap().get("trace")
        .getMetadataMap().get("encoding").toStringUtf8()).isEqualTo("binary/encrypted");

    assertThat(WarmUpHistories.decoded(encrypted, decoding)).isEqualTo(plaintext());
  }

  @Test
  void replacesTheWarmUpSetWithTheGenerationDecoded() throws Exception {
    Path generation = Files.createDirectories(dir.resolve("v7"));
    Files.writeString(generation.resolve("completed.json"),
        JsonFormat.printer().print(encrypted()));
    Path warmUp = Files.createDirectories(dir.resolve("warm-up"));
    Files.writeString(warmUp.resolve("of-an-older-generation.json"), "{}");

    List<Path> written = WarmUpHistories.write(generation, decoding, warmUp);

    assertThat(written).containsExactly(warmUp.resolve("completed.json"));
    try (var files = Files.list(warmUp)) {
      assertThat(files).containsExactly(warmUp.resolve("completed.json"));
    }
    History.Builder read = History.newBuilder();
    JsonFormat.parser().merge(Files.readString(warmUp.resolve("completed.json")), read);
    assertThat(read.build()).isEqualTo(plaintext());
  }
}
