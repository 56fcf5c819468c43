package com.example.orders.bench.hotsku;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The physical limit: pgbench's C client running only the single-row UPDATE every reservation needs
 * ({@link Strategies#MOVE} with q = 1), with the same number of clients, on the same server.
 */
final class PgBench {

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  private PgBench() {}

  static String script() {
    return "UPDATE products SET available = available - 1, reserved = reserved + 1, updated_at = now() WHERE sku = '"
        + Strategies.SKU + "';\n";
  }

  /** Runs pgbench and returns its transactions per second. */
  static double run(String pgbench, int port, String database, int clients, int seconds) throws IOException, InterruptedException {
    Path script = Files.createTempFile("hot-sku-", ".sql");
    try {
      Files.writeString(script, script());
      List<String> command = List.of(pgbench, "-n", "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(2, clients)),
          "-T", String.valueOf(seconds), "-M", "prepared", "-f", script.toString(),
          "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", database);
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("pgbench failed: " + String.join(" ", command) + "\n" + output);
      }
      Matcher m = TPS.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("no tps in pgbench output:\n" + output);
      }
      return Double.parseDouble(m.group(1));
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** "pgbench (PostgreSQL) 15.14" or null when it cannot be run. */
  static String version(String pgbench) {
    try {
      Process process = new ProcessBuilder(pgbench, "--version").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
