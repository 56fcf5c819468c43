package com.example.orders.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** The jars the reactor built in the sibling modules before this module's integration tests. */
public final class ModuleJars {

  private ModuleJars() {}

  /** The repackaged executable jar of a process module ({@code api}, {@code workers}). */
  public static Path executable(String module) {
    return find(module, name -> name.startsWith(module + "-") && name.endsWith("-exec.jar"));
  }

  /** The plain jar of a module (for devtools: the fault injection the tests add to a process). */
  public static Path plain(String module) {
    return find(module, name -> name.matches(module + "-[0-9][^-]*(-SNAPSHOT)?\\.jar"));
  }

  private static Path find(String module, Predicate<String> name) {
    Path dir = Path.of("..", module, "target").toAbsolutePath().normalize();
    try (var files = Files.list(dir)) {
      return files.filter(p -> name.test(p.getFileName().toString()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no such jar in " + dir + ": build with mvn verify"));
    } catch (IOException e) {
      throw new UncheckedIOException("no " + dir + ": build with mvn verify", e);
    }
  }
}
