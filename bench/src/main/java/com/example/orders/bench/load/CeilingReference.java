package com.example.orders.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code ceiling} result a step-up divides its own rate by: the share of its engine's ceiling the
 * service reaches. Engines differ by a factor of two or more, so a ceiling counts only for the engine
 * it was measured on (the {@code engine} field every load, step-up and ceiling result carries); and a
 * workflow change moves the ceiling (v12's local undo nearly doubled it), so one of the step-up's own
 * build ({@code build}, "" when unnamed) is preferred to a newer one of another build.
 */
record CeilingReference(double rate, Path file, String build) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Among ceilings whose engine is {@code engine}, the newest by file name (label-yyyyMMdd-HHmmss.json)
   * of build {@code build}, else the newest of any build.
   */
  static Optional<CeilingReference> newest(Path resultsDir, String engine, String build) {
    if (!Files.isDirectory(resultsDir)) {
      return Optional.empty();
    }
    List<CeilingReference> newestFirst;
    try (Stream<Path> files = Files.list(resultsDir)) {
      newestFirst = files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted(Comparator.comparing((Path f) -> stamp(f.getFileName().toString())).reversed())
          .map(f -> read(f, engine))
          .flatMap(Optional::stream)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return newestFirst.stream().filter(c -> !build.isEmpty() && c.build().equals(build)).findFirst()
        .or(() -> newestFirst.stream().findFirst());
  }

  /** The step-up's rate as a share of this ceiling, 0..1 and more. */
  double share(double stepUpRate) {
    return stepUpRate / rate;
  }

  private static Optional<CeilingReference> read(Path file, String engine) {
    try {
      JsonNode document = JSON.readTree(file.toFile());
      if (!"ceiling".equals(document.path("kind").asText()) || !engine.equals(document.path("engine").asText())
          || !(document.path("maxSustainableRate").asDouble() > 0)) {
        return Optional.empty();
      }
      return Optional.of(new CeilingReference(document.path("maxSustainableRate").asDouble(), file,
          document.path("build").asText("")));
    } catch (IOException unreadable) {  // a half-written or foreign file is not a ceiling
      return Optional.empty();
    }
  }

  /** The yyyyMMdd-HHmmss before ".json" (labels differ, so the name as a whole does not sort by time). */
  private static String stamp(String name) {
    String base = name.substring(0, name.length() - ".json".length());
    return base.length() >= 15 ? base.substring(base.length() - 15) : "";
  }
}
