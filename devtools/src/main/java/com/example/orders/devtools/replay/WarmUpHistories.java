package com.example.orders.devtools.replay;

import com.example.orders.temporal.codec.PayloadEncryptionCodec;
import com.example.orders.temporal.codec.PayloadKeyring;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.History;
import io.temporal.payload.codec.PayloadCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Writes the workers' warm-up histories ({@code workers/src/main/resources/warm-up/}, replayed by
 * WorkflowWarmUp before the workers poll) from one recorded generation: the same histories with
 * every payload decoded, since the workers do not hold the test-only keys they were recorded under.
 * HistoryRecorderIT writes them with each new generation. By hand, from the project root:
 * <pre>
 * java -Dloader.main=com.example.orders.devtools.replay.WarmUpHistories -jar devtools/target/devtools-*-exec.jar \
 *   workflows/src/test/resources/histories/vN workflows/src/test/resources/encryption/test-only-payload-keys \
 *   workers/src/main/resources/warm-up
 * </pre>
 */
public final class WarmUpHistories {

  private WarmUpHistories() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: WarmUpHistories GENERATION_DIR KEYS_FILE WARM_UP_DIR");
      System.exit(2);
    }
    List<Path> written = write(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
    System.out.println("wrote " + written.size() + " warm-up histories to " + args[2]);
  }

  /**
   * Replaces the histories in {@code warmUpDir} with those of {@code generationDir}, payloads decoded
   * with the keys of {@code keysFile} (the test-only keys the generations are recorded under).
   */
  public static List<Path> write(Path generationDir, Path keysFile, Path warmUpDir) throws IOException {
    PayloadKeyring keys = PayloadKeyring.parse(Files.readString(keysFile), keysFile.toString());
    return write(generationDir, new PayloadEncryptionCodec(keys, false), warmUpDir);
  }

  static List<Path> write(Path generationDir, PayloadCodec codec, Path warmUpDir) throws IOException {
    Files.createDirectories(warmUpDir);
    for (Path stale : jsonFiles(warmUpDir)) {
      Files.delete(stale);
    }
    List<Path> written = new ArrayList<>();
    for (Path recorded : jsonFiles(generationDir)) {
      History.Builder history = History.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(recorded), history);
      Path file = warmUpDir.resolve(recorded.getFileName());
      Files.writeString(file, JsonFormat.printer().print(decoded(history.build(), codec)) + "\n");
      written.add(file);
    }
    return written;
  }

  /** {@code message} with every Payload in it passed through the codec. */
  static <M extends Message> M decoded(M message, PayloadCodec codec) {
    return withPayloads(message, payload -> codec.decode(List.of(payload)).getFirst());
  }

  /** {@code message} with every Payload in it, at any depth (maps included), replaced by {@code change}'s. */
  @SuppressWarnings("unchecked")
  static <M extends Message> M withPayloads(M message, UnaryOperator<Payload> change) {
    if (message instanceof Payload payload) {
      return (M) change.apply(payload);
    }
    Message.Builder builder = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (descriptor.isRepeated()) {
        builder.clearField(descriptor);
        for (Object element : (List<?>) field.getValue()) {
          builder.addRepeatedField(descriptor, withPayloads((Message) element, change));
        }
      } else {
        builder.setField(descriptor, withPayloads((Message) field.getValue(), change));
      }
    }
    return (M) builder.build();
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
    }
  }
}
