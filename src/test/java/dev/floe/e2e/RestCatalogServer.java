package dev.floe.e2e;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}, the server
 * of the {@code iceberg-rest-fixture} image) in a JVM of its own, configured as that image is: by
 * {@code CATALOG_*} environment variables. Its tables are kept in a SQLite database and its
 * warehouse is on S3Proxy.
 */
final class RestCatalogServer implements AutoCloseable {
  private final ServerProcess process;

  private RestCatalogServer(ServerProcess process) {
    this.process = process;
  }

  /** A catalog with its warehouse at {@code warehouse} on {@code s3}. */
  static RestCatalogServer start(Path dir, S3ProxyServer s3, String warehouse) throws Exception {
    int port = ServerProcess.freePort();
    // the server binds 8181 unless told otherwise, and two servers on one port share it silently
    Map<String, String> env =
        Map.of(
            "CATALOG_REST_PORT",
            String.valueOf(port),
            "CATALOG_URI",
            "jdbc:sqlite:" + dir.resolve("catalog.db"),
            "CATALOG_WAREHOUSE",
            warehouse,
            "CATALOG_IO__IMPL",
            "org.apache.iceberg.aws.s3.S3FileIO",
            "CATALOG_S3_ENDPOINT",
            s3.endpoint(),
            "CATALOG_S3_PATH__STYLE__ACCESS",
            "true",
            "CATALOG_CLIENT_REGION",
            S3ProxyServer.REGION,
            "CATALOG_S3_ACCESS__KEY__ID",
            S3ProxyServer.ACCESS_KEY,
            "CATALOG_S3_SECRET__ACCESS__KEY",
            S3ProxyServer.SECRET_KEY);
    // the server, Jetty and Iceberg's whole jars first; the rest (AWS SDK, Hadoop) from Floe's
    String classpath =
        String.join(
            java.io.File.pathSeparator,
            ServerProcess.testServerFile("rest-catalog") + "/*",
            Path.of("target/floe.jar").toAbsolutePath().toString());
    return new RestCatalogServer(
        ServerProcess.start(
            "the REST catalog server",
            List.of("-Xmx512m", "-cp", classpath, "org.apache.iceberg.rest.RESTCatalogServer"),
            env,
            dir.resolve("rest-catalog.log"),
            port));
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + process.port);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
