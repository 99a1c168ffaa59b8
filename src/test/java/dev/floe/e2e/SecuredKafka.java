package dev.floe.e2e;

import dev.floe.broker.LocalKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A Kafka broker (KRaft, in this JVM) that lets nobody in without credentials and nobody read
 * without an ACL: SCRAM-SHA-512 and PLAIN over SASL_PLAINTEXT and SASL_SSL, mutual TLS over SSL,
 * {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}. SCRAM users are
 * created when the storage is formatted, as an operator does. Only the internal PLAINTEXT listener,
 * which the test uses to create topics, ACLs and records, is a super user.
 */
final class SecuredKafka implements AutoCloseable {
  /** Users and passwords: {@code floe} may log in with SCRAM and PLAIN; {@code viewer} SCRAM. */
  static final String USER = "floe";

  static final String PASSWORD = "floe-pw-5e1d07";
  static final String VIEWER = "viewer";
  static final String VIEWER_PASSWORD = "viewer-pw-93ac4f";

  /** The subject of the client certificate, and so the principal of a mutual-TLS client. */
  static final String CLIENT_DN = "CN=floe-client";

  /** The password of every keystore and truststore the test makes. */
  static final String STORE_PASSWORD = "store-pw-2b8e61";

  final Path certificates;
  private final KafkaRaftServer server;
  private final Map<String, Integer> ports;

  private SecuredKafka(Path certificates, KafkaRaftServer server, Map<String, Integer> ports) {
    this.certificates = certificates;
    this.server = server;
    this.ports = ports;
  }

  static SecuredKafka start(Path dir) throws Exception {
    Path certificates = Files.createDirectories(dir.resolve("certificates"));
    Certificates.make(certificates, STORE_PASSWORD, CLIENT_DN);
    Map<String, Integer> ports =
        Map.of(
            "INTERNAL", freePort(),
            "CONTROLLER", freePort(),
            "SASL_PLAINTEXT", freePort(),
            "SASL_SSL", freePort(),
            "SSL", freePort());
    Properties props = LocalKafka.singleNode(dir, ports.get("CONTROLLER"));
    List<String> listeners = new ArrayList<>();
    List<String> advertised = new ArrayList<>();
    ports.forEach(
        (name, port) -> {
          listeners.add(name + "://127.0.0.1:" + port);
          if (!name.equals("CONTROLLER")) {
            advertised.add(name + "://127.0.0.1:" + port);
          }
        });
    props.put("listeners", String.join(",", listeners));
    props.put("advertised.listeners", String.join(",", advertised));
    props.put("inter.broker.listener.name", "INTERNAL");
    props.put(
        "listener.security.protocol.map",
        "INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,"
            + "SASL_SSL:SASL_SSL,SSL:SSL");
    props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
    for (String listener : List.of("sasl_plaintext", "sasl_ssl")) {
      props.put(
          "listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      props.put(
          "listener.name." + listener + ".plain.sasl.jaas.config",
          "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
              + USER
              + "=\""
              + PASSWORD
              + "\";");
    }
    props.put("ssl.keystore.location", certificates.resolve("broker.p12").toString());
    props.put("ssl.keystore.password", STORE_PASSWORD);
    props.put("ssl.keystore.type", "PKCS12");
    props.put("ssl.truststore.location", certificates.resolve("broker-trusts.p12").toString());
    props.put("ssl.truststore.password", STORE_PASSWORD);
    props.put("ssl.truststore.type", "PKCS12");
    props.put("listener.name.ssl.ssl.client.auth", "required");
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("allow.everyone.if.no.acl.found", "false");
    // the controller and the internal listener carry no credentials
    props.put("super.users", "User:ANONYMOUS");
    KafkaRaftServer server =
        LocalKafka.formatAndStart(
            dir,
            props,
            "--add-scram",
            "SCRAM-SHA-512=[name=" + USER + ",password=" + PASSWORD + "]",
            "--add-scram",
            "SCRAM-SHA-512=[name=" + VIEWER + ",password=" + VIEWER_PASSWORD + "]");
    SecuredKafka kafka = new SecuredKafka(certificates, server, ports);
    try (Admin admin = kafka.admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    }
    return kafka;
  }

  /** The address of a listener: INTERNAL (no credentials, super user), SASL_PLAINTEXT, ... */
  String bootstrap(String listener) {
    return "127.0.0.1:" + ports.get(listener);
  }

  /** An admin client on the internal listener, which may do anything. */
  Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrap("INTERNAL")));
  }

  void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** Allows {@code principal} these operations on the topic, and nothing else. */
  void allow(String principal, String topic, AclOperation... operations) throws Exception {
    List<AclBinding> acls = new ArrayList<>();
    for (AclOperation operation : operations) {
      acls.add(
          new AclBinding(
              new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
              new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
    }
    try (Admin admin = admin()) {
      admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
