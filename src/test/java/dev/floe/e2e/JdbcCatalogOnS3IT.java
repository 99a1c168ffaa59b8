package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reference pipeline into an {@code s3://} warehouse (S3Proxy, a real S3 API) through Iceberg's
 * JDBC catalog on a real PostgreSQL.
 */
class JdbcCatalogOnS3IT extends CatalogOnS3Cases {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String DB_PASSWORD = "pg-secret-not-a-real-one";

  private static EmbeddedPostgres postgres;
  private String database;

  /** PostgreSQL that wants a password over TCP, as a shared catalog database does. */
  @BeforeAll
  static void startDatabase() throws Exception {
    Path data = Files.createTempDirectory("floe-pg");
    postgres = EmbeddedPostgres.builder().setDataDirectory(data).start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER USER postgres PASSWORD '" + DB_PASSWORD + "'");
      Files.writeString(
          data.resolve("pg_hba.conf"),
          "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
      s.execute("SELECT pg_reload_conf()");
    }
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    postgres.close();
  }

  /** Each test's catalog in a database of its own, its warehouse under a prefix of its own. */
  @BeforeEach
  void newDatabase() throws Exception {
    database = "catalog" + DATABASES.incrementAndGet();
    try (Connection c =
            DriverManager.getConnection(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", DB_PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
  }

  @Override
  String warehouse() {
    return "s3://" + BUCKET + "/" + database;
  }

  @Override
  Map<String, String> catalogProperties() {
    Map<String, String> p = new HashMap<>();
    p.put("type", "jdbc");
    p.put("uri", postgres.getJdbcUrl("postgres", database));
    p.put("jdbc.user", "postgres");
    p.put("jdbc.password", "${FLOE_JDBC_PASSWORD}");
    return onObjectStore(p);
  }

  @Override
  Map<String, String> secrets() {
    return Map.of("FLOE_JDBC_PASSWORD", DB_PASSWORD);
  }

  @Test
  void aWrongPasswordIsAClearErrorAndCommitsNothing() throws Exception {
    String topic = topic("jdbc-denied", 1, 10);
    String output = runRefused(topic, "FLOE_JDBC_PASSWORD", "not-the-password");
    assertThat(output)
        .contains(
            "floe: the catalog (type jdbc, uri "
                + postgres.getJdbcUrl("postgres", database)
                + ") refused the database user postgres: FATAL: password authentication failed"
                + " for user \"postgres\". Check outputs[].catalog.jdbc.user and jdbc.password;"
                + " nothing was read or committed");
  }
}
