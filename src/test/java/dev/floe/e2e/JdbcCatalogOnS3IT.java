package dev.floe.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The reference pipeline into an {@code s3://} warehouse (S3Proxy, a real S3 API) through Iceberg's
 * JDBC catalog on a real PostgreSQL.
 */
class JdbcCatalogOnS3IT extends CatalogOnS3Cases {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private static EmbeddedPostgres postgres;
  private String database;

  @BeforeAll
  static void startDatabase() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    postgres.close();
  }

  /** Each test's catalog in a database of its own, its warehouse under a prefix of its own. */
  @BeforeEach
  void newDatabase() throws Exception {
    database = "catalog" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
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
    p.put("warehouse", warehouse());
    p.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    p.put("s3.endpoint", s3.endpoint());
    p.put("s3.path-style-access", "true");
    return p;
  }
}
