package dev.floe.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Flink session cluster on localhost, in two JVMs of its own started from Flink's own
 * entrypoints: {@code StandaloneSessionClusterEntrypoint} (job manager, REST endpoint) and {@code
 * TaskManagerRunner}, as Flink's {@code start-cluster.sh} starts them. Their classpath is Flink and
 * the libraries a Flink distribution bundles; Floe, Beam, Iceberg, Kafka and Spark are not on it,
 * so a job runs only if the submitted jar carries them.
 */
final class FlinkSessionCluster implements AutoCloseable {
  /**
   * What a Flink distribution's lib/ holds, from the local Maven repository: Flink's jars, the
   * logging backend, and the third-party libraries flink-dist bundles unshaded. Anything else
   * (Floe, Beam, Iceberg, Kafka, Jackson, ...) must come with the submitted jar.
   */
  private static final List<String> ON_THE_CLUSTER =
      List.of(
          "/org/apache/flink/",
          "/org/apache/logging/log4j/",
          "/org/slf4j/",
          "/org/apache/commons/",
          "/commons-",
          "/com/esotericsoftware/",
          "/org/objenesis/",
          "/org/xerial/snappy/",
          "/org/lz4/",
          "/org/javassist/",
          "/org/snakeyaml/",
          "/com/google/code/findbugs/",
          "/com/twitter/chill");

  private final List<Process> processes = new ArrayList<>();
  private final Path dir;
  private final int restPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private FlinkSessionCluster(Path dir, int restPort) {
    this.dir = dir;
    this.restPort = restPort;
  }

  /** Starts the job manager and one task manager with {@code slots} slots; waits for both. */
  static FlinkSessionCluster start(Path dir, int slots) throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    FlinkSessionCluster cluster = new FlinkSessionCluster(dir, ServerProcess.freePort());
    Files.writeString(
        dir.resolve("conf/config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: localhost",
            "jobmanager.rpc.port: " + ServerProcess.freePort(),
            "jobmanager.bind-host: localhost",
            "jobmanager.memory.process.size: 1024m",
            "rest.address: localhost",
            "rest.bind-address: localhost",
            "rest.port: " + cluster.restPort,
            "taskmanager.host: localhost",
            "taskmanager.bind-host: localhost",
            "taskmanager.numberOfTaskSlots: " + slots,
            // what taskmanager.sh computes and passes: every memory pool spelled out, and the JVM
            // flags below to match (heap = framework + task heap; direct = off-heap + network)
            "taskmanager.cpu.cores: " + slots,
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.task.heap.size: 896m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 128m",
            "taskmanager.memory.network.max: 128m",
            "taskmanager.memory.managed.size: 256m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "blob.server.port: " + ServerProcess.freePort(),
            "io.tmp.dirs: " + dir.resolve("tmp"),
            ""));
    Files.createDirectories(dir.resolve("tmp"));
    try {
      cluster.launch(
          "jobmanager",
          "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          "-Xmx768m");
      cluster.launch(
          "taskmanager",
          "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
          "-Xmx1024m",
          "-Xms1024m",
          "-XX:MaxDirectMemorySize=256m",
          "-XX:MaxMetaspaceSize=256m");
      cluster.awaitTaskManagers(1, Duration.ofSeconds(120));
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** {@code host:port} of the REST endpoint, as {@code --flinkMaster} takes it. */
  String master() {
    return "localhost:" + restPort;
  }

  /** GET of a path of Flink's REST API, parsed. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + master() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return new ObjectMapper().readTree(response.body());
  }

  /** Cancels a job through Flink's REST API. */
  void cancel(String jobId) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + master() + "/jobs/" + jobId))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 202) {
      throw new IOException("cancel " + jobId + ": HTTP " + response.statusCode());
    }
  }

  /** What the cluster's processes logged, for assertion messages. */
  String logs() throws IOException {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("jobmanager", "taskmanager")) {
      Path log = dir.resolve(name + ".log");
      if (Files.exists(log)) {
        String text = Files.readString(log);
        out.append("---- ")
            .append(name)
            .append(" (last 4000 chars)\n")
            .append(text.substring(Math.max(0, text.length() - 4000)));
      }
    }
    return out.toString();
  }

  /**
   * The JDK packages a Flink distribution opens on Java 17 ({@code env.java.default-opts.all} in
   * its {@code config.yaml}): Flink's Kryo serializers reach into {@code java.util}, and a
   * streaming job's first checkpoint fails without it.
   */
  private static final List<String> FLINK_DEFAULT_OPENS =
      List.of(
              "java.lang",
              "java.net",
              "java.io",
              "java.nio",
              "sun.nio.ch",
              "java.lang.reflect",
              "java.text",
              "java.time",
              "java.util",
              "java.util.concurrent",
              "java.util.concurrent.atomic",
              "java.util.concurrent.locks")
          .stream()
          .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
          .toList();

  private void launch(String name, String mainClass, String... jvmOptions) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(jvmOptions));
    command.addAll(FLINK_DEFAULT_OPENS);
    command.addAll(
        List.of("-cp", flinkClasspath(), mainClass, "--configDir", dir.resolve("conf").toString()));
    processes.add(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start());
  }

  /**
   * {@code flink run JAR ARGS...}: Flink's own command line client ({@code CliFrontend}, what
   * {@code bin/flink} starts) with this cluster's configuration, in a JVM of its own.
   */
  Process flinkRun(Path jar, List<String> args, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                flinkClasspath(),
                "org.apache.flink.client.cli.CliFrontend",
                "run",
                jar.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("FLINK_CONF_DIR", dir.resolve("conf").toString());
    builder.environment().put("FLINK_MASTER", "[auto]");
    return builder.start();
  }

  private void awaitTaskManagers(int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new AssertionError("a Flink process exited with " + p.exitValue() + "\n" + logs());
        }
      }
      try {
        if (get("/overview").path("taskmanagers").asInt() >= count) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the Flink cluster did not come up in " + timeout + "\n" + logs());
  }

  /** The jars of this JVM's classpath that a Flink distribution has. */
  private static String flinkClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(
            entry ->
                ON_THE_CLUSTER.stream()
                    .anyMatch(part -> entry.replace(File.separatorChar, '/').contains(part)))
        .collect(Collectors.joining(File.pathSeparator));
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
