package com.example.orders.devtools.postgres;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (LocalPostgres, throwaway data directory), with a fresh
 * database for each caller so test classes never see each other's rows.
 */
public final class TestPostgres {

  private static LocalPostgres server;
  private static final AtomicInteger databases = new AtomicInteger();

  private TestPostgres() {}

  public static synchronized LocalPostgres server() {
    if (server == null) {
      server = LocalPostgres.startTemporary();
    }
    return server;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public static String newDatabase(String prefix) {
    String name = (prefix + "_" + databases.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9_]", "_");
    server().createDatabase(name);
    return server().jdbcUrl(name);
  }
}
