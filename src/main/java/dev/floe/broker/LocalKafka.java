package dev.floe.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Apache Kafka broker in KRaft mode (combined broker and controller) on loopback,
 * started from Kafka's own server classes: storage formatted with Kafka's {@code StorageTool}, then
 * {@link KafkaRaftServer}. For the demo and the tests; data lives in a directory removed on close.
 */
public final class LocalKafka implements AutoCloseable {
  private final Path dir;
  private final KafkaRaftServer server;
  private final String bootstrap;

  /**
   * Stops the broker and removes its data when the JVM is ended (Ctrl-C, SIGTERM) before {@link
   * #close}: a bench topic is hundreds of MB in the temporary directory.
   */
  private final Thread removeOnExit = new Thread(this::stopAndRemove, "floe-local-kafka-cleanup");

  private boolean stopped;

  private LocalKafka(Path dir, KafkaRaftServer server, String bootstrap) {
    this.dir = dir;
    this.server = server;
    this.bootstrap = bootstrap;
    Runtime.getRuntime().addShutdownHook(removeOnExit);
  }

  public static LocalKafka start() {
    try {
      Path dir = Files.createTempDirectory("floe-kafka-");
      int port = freePort();
      int controllerPort = freePort();
      Properties props = singleNode(dir, controllerPort);
      props.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("num.partitions", "1");
      LocalKafka kafka = new LocalKafka(dir, formatAndStart(dir, props), "127.0.0.1:" + port);
      kafka.awaitReady();
      return kafka;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What a single-node broker (combined broker and controller) on loopback needs whatever its
   * listeners: node id, controller quorum, data in {@code dir}, replication factors of one, no
   * topics created by clients. The caller adds listeners.
   */
  public static Properties singleNode(Path dir, int controllerPort) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("log.dirs", dir.resolve("data").toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    return props;
  }

  /**
   * Formats the storage with Kafka's {@code StorageTool}, as an operator does ({@code
   * formatOptions} adds to its command line, e.g. {@code --add-scram}), and starts the broker.
   */
  public static KafkaRaftServer formatAndStart(Path dir, Properties props, String... formatOptions)
      throws IOException {
    Path config = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(config)) {
      props.store(out, "floe local broker");
    }
    List<String> format =
        new ArrayList<>(
            List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
    format.addAll(List.of(formatOptions));
    int rc =
        StorageTool.execute(
            format.toArray(String[]::new), new PrintStream(OutputStream.nullOutputStream()));
    if (rc != 0) {
      throw new IllegalStateException("formatting the broker's storage failed: exit " + rc);
    }
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    server.startup();
    return server;
  }

  private void awaitReady() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the local Kafka broker did not start: " + e, e);
    }
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(removeOnExit);
    } catch (IllegalStateException e) {
      // the JVM is already ending: the hook stops the broker
    }
    stopAndRemove();
  }

  private synchronized void stopAndRemove() {
    if (stopped) {
      return;
    }
    stopped = true;
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
