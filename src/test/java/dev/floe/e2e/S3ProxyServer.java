package dev.floe.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real S3 API (S3Proxy over a local directory, SigV4 authentication) in a JVM of its own, for
 * tests of {@code s3://} warehouses. A bucket is a directory under {@link #root}.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "floe-test-access";
  static final String SECRET_KEY = "floe-test-secret-not-a-real-one";
  static final String REGION = "us-east-1";

  private final ServerProcess process;
  private final int port;
  final Path root;

  private S3ProxyServer(ServerProcess process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /** Starts S3Proxy with {@code buckets} created, and waits until it accepts connections. */
  static S3ProxyServer start(Path dir, String... buckets) throws Exception {
    Path root = Files.createDirectories(dir.resolve("s3"));
    for (String bucket : buckets) {
      Files.createDirectories(root.resolve(bucket));
    }
    int port = ServerProcess.freePort();
    Path conf = dir.resolve("s3proxy.properties");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + root,
            ""));
    ServerProcess process =
        ServerProcess.start(
            "S3Proxy",
            List.of(
                "-Xmx256m",
                "-jar",
                ServerProcess.testServerFile("s3proxy.jar").toString(),
                "--properties",
                conf.toString()),
            Map.of(),
            dir.resolve("s3proxy.log"),
            port);
    return new S3ProxyServer(process, port, root);
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Iceberg's S3FileIO properties for this server, keys included. */
  Map<String, String> fileIoProperties() {
    return Map.of(
        "io-impl",
        "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint",
        endpoint(),
        "s3.path-style-access",
        "true",
        "client.region",
        REGION,
        "s3.access-key-id",
        ACCESS_KEY,
        "s3.secret-access-key",
        SECRET_KEY);
  }

  /** The keys as the AWS SDK's default chain reads them from the environment. */
  static Map<String, String> credentialsEnvironment() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", REGION);
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
