package dev.floe.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test server in a JVM of its own (S3Proxy, the REST catalog server), so that its libraries stay
 * off the tests' classpath; started on a port of its own and polled until it accepts connections.
 */
final class ServerProcess implements AutoCloseable {
  private final Process process;
  final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Runs {@code java <jvmArgs>} with {@code env} added, output to {@code log}, until it listens.
   */
  static ServerProcess start(
      String name, List<String> jvmArgs, Map<String, String> env, Path log, int port)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    ServerProcess server = new ServerProcess(builder.start(), port);
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!server.accepts()) {
      if (!server.process.isAlive() || System.nanoTime() > until) {
        server.close();
        throw new IllegalStateException(name + " did not start: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    return server;
  }

  /** A file the build puts under target/test-servers, or a message saying how to get it. */
  static Path testServerFile(String name) {
    Path file = Path.of("target/test-servers", name).toAbsolutePath();
    if (!Files.exists(file)) {
      throw new IllegalStateException(file + " is missing: run the tests with mvn verify");
    }
    return file;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
