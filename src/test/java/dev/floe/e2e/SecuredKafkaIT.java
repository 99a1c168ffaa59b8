package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.cli.Main;
import dev.floe.demo.SampleEvents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped pipeline against a broker that requires credentials and ACLs ({@link SecuredKafka}),
 * as a user configures it through {@code kafka.*} consumer properties: SASL with SCRAM and PLAIN,
 * with and without TLS, and mutual TLS; each user has READ and DESCRIBE on its topic and nothing
 * else. Refusals end with one clear paragraph, exit code 4, nothing committed and no secret.
 */
class SecuredKafkaIT extends BrokerAndWarehouse {
  private static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  private static SecuredKafka secured;
  private static int topics;

  private String listener;

  /** Shadows the plain broker of the base class: this suite's broker is the secured one. */
  @BeforeAll
  static void startBroker() {
    try {
      secured = SecuredKafka.start(Files.createTempDirectory("floe-secured-kafka-"));
    } catch (Exception e) {
      throw new IllegalStateException("the secured test broker did not start", e);
    }
  }

  @AfterAll
  static void stopBroker() {
    secured.close();
  }

  @Override
  String bootstrapServers() {
    return secured.bootstrap(listener);
  }

  @ParameterizedTest(name = "{1} over {0}")
  @CsvSource({
    "SASL_PLAINTEXT, SCRAM-SHA-512",
    "SASL_PLAINTEXT, PLAIN",
    "SASL_SSL, SCRAM-SHA-512",
    "SASL_SSL, PLAIN"
  })
  void aSaslUserWithOnlyReadAndDescribeOnTheTopicLandsEveryEventOnce(
      String protocol, String mechanism) throws Exception {
    listener = protocol;
    String topic = readableBy("User:" + SecuredKafka.USER, 2, 120);
    List<String> login = sasl(protocol, mechanism, SecuredKafka.USER, SecuredKafka.PASSWORD);
    if (protocol.equals("SASL_SSL")) {
      login.addAll(truststore("client-trusts.p12"));
    }
    Outcome first = run(topic, login);
    assertThat(first.code).as(first.err).isZero();
    assertExactlyOnce(table("cloudevents"), 120);
    try (Admin admin = secured.admin()) {
      assertThat(table("cloudevents").currentSnapshot().summary())
          .containsEntry("floe.kafka.offsets", endOffsets(admin, topic, 2).toJson());
      // no consumer group: the offsets live in the table, so no group ACL is needed
      assertThat(admin.listConsumerGroups().all().get()).isEmpty();
    }
    assertThat(first.out + first.err)
        .doesNotContain(SecuredKafka.PASSWORD)
        .doesNotContain(SecuredKafka.STORE_PASSWORD);
    Outcome rerun = run(topic, login);
    assertThat(rerun.code).as(rerun.err).isZero();
    assertExactlyOnce(table("cloudevents"), 120);
  }

  /** The streaming read (KafkaIO) needs no more than the batch read. */
  @Test
  void continuousModeNeedsNoMoreThanReadAndDescribe() throws Exception {
    listener = "SASL_SSL";
    String topic = readableBy("User:" + SecuredKafka.USER, 2, 60);
    List<String> args = sasl("SASL_SSL", "SCRAM-SHA-512", SecuredKafka.USER, SecuredKafka.PASSWORD);
    args.addAll(truststore("client-trusts.p12"));
    args.addAll(
        List.of(
            "--trigger", "processing-time", "--trigger-duration", "2s", "--max-read-time", "8s"));
    Outcome outcome = run(topic, args);
    assertThat(outcome.code).as(outcome.err).isZero();
    assertExactlyOnce(table("cloudevents"), 60);
    assertThat(outcome.out + outcome.err).doesNotContain(SecuredKafka.PASSWORD);
  }

  @Test
  void mutualTlsWithOnlyReadAndDescribeOnTheTopic() throws Exception {
    listener = "SSL";
    String topic = readableBy("User:" + SecuredKafka.CLIENT_DN, 2, 80);
    List<String> tls = new ArrayList<>(List.of(property("security.protocol", "SSL")));
    tls.addAll(truststore("client-trusts.p12"));
    tls.addAll(keystore("client.p12"));
    Outcome outcome = run(topic, tls);
    assertThat(outcome.code).as(outcome.err).isZero();
    assertExactlyOnce(table("cloudevents"), 80);
  }

  @Test
  void aWrongPasswordNamesTheUserAndTheBroker() throws Exception {
    listener = "SASL_PLAINTEXT";
    String topic = readableBy("User:" + SecuredKafka.USER, 1, 10);
    String wrong = "not-the-password-41c2";
    Outcome outcome = run(topic, sasl("SASL_PLAINTEXT", "SCRAM-SHA-512", SecuredKafka.USER, wrong));
    assertThat(outcome.code).isEqualTo(4);
    assertThat(outcome.err)
        .isEqualTo(
            "floe: authentication failed for user floe at "
                + bootstrapServers()
                + " (SCRAM-SHA-512 over SASL_PLAINTEXT): check the user name and password in"
                + " kafka.sasl.jaas.config, and that the broker has SCRAM-SHA-512 credentials for"
                + " that user; nothing was read or committed\n"
                + "(set FLOE_DEBUG=1 for the stack trace)\n")
        .doesNotContain(wrong);
    assertThat(committedAnything()).isFalse();
  }

  /** DESCRIBE lets the run see the topic and plan; the read itself is refused. */
  @Test
  void aUserWithoutReadIsToldWhichAclsToGrant() throws Exception {
    listener = "SASL_PLAINTEXT";
    String topic = topicWithEvents(2, 20);
    secured.allow("User:" + SecuredKafka.VIEWER, topic, AclOperation.DESCRIBE);
    Outcome outcome =
        run(
            topic,
            sasl(
                "SASL_PLAINTEXT",
                "SCRAM-SHA-512",
                SecuredKafka.VIEWER,
                SecuredKafka.VIEWER_PASSWORD));
    assertThat(outcome.code).isEqualTo(4);
    assertThat(outcome.err)
        .startsWith(
            "floe: principal User:viewer may not read topic '"
                + topic
                + "' on Kafka at "
                + bootstrapServers()
                + " (TopicAuthorizationException). Grant it READ and DESCRIBE on the topic, e.g."
                + " kafka-acls.sh --bootstrap-server "
                + bootstrapServers()
                + " --add --allow-principal User:viewer --operation READ --operation DESCRIBE"
                + " --topic "
                + topic
                + " (Floe needs no consumer-group or cluster ACL); nothing was read or committed")
        .doesNotContain(SecuredKafka.VIEWER_PASSWORD);
    assertThat(committedAnything()).isFalse();
  }

  @Test
  void anUntrustedBrokerCertificateNamesTheTruststore() throws Exception {
    listener = "SASL_SSL";
    String topic = topicWithEvents(1, 10);
    List<String> login =
        sasl("SASL_SSL", "SCRAM-SHA-512", SecuredKafka.USER, SecuredKafka.PASSWORD);
    login.addAll(truststore("untrusted.p12"));
    Outcome outcome = run(topic, login);
    assertThat(outcome.code).isEqualTo(4);
    assertThat(outcome.err)
        .startsWith(
            "floe: the TLS handshake with Kafka at "
                + bootstrapServers()
                + " failed: the broker's certificate is not trusted by the truststore "
                + secured.certificates.resolve("untrusted.p12")
                + " (kafka.ssl.truststore.location). Add the broker's CA certificate to it, or"
                + " point kafka.ssl.truststore.location at one that has it; nothing was read or"
                + " committed")
        .doesNotContain(SecuredKafka.STORE_PASSWORD);
    assertThat(committedAnything()).isFalse();
  }

  private record Outcome(int code, String out, String err) {}

  private Outcome run(String topic, List<String> properties) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(
                args("run", PIPELINE, topic, properties.toArray(String[]::new))
                    .toArray(String[]::new));
    return new Outcome(code, out.toString(), err.toString());
  }

  /** A new topic with events, and {@code principal} may READ and DESCRIBE it: nothing else. */
  private String readableBy(String principal, int partitions, int events) throws Exception {
    String topic = topicWithEvents(partitions, events);
    secured.allow(principal, topic, AclOperation.READ, AclOperation.DESCRIBE);
    return topic;
  }

  private String topicWithEvents(int partitions, int events) throws Exception {
    String topic = "secured-" + (++topics);
    secured.createTopic(topic, partitions);
    SampleEvents.produce(
        secured.bootstrap("INTERNAL"),
        SampleEvents.generate(
            topic, 0, events, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(1), 2));
    return topic;
  }

  private static List<String> sasl(
      String protocol, String mechanism, String user, String password) {
    String module =
        mechanism.equals("PLAIN")
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return new ArrayList<>(
        List.of(
            property("security.protocol", protocol),
            property("sasl.mechanism", mechanism),
            property(
                "sasl.jaas.config",
                module + " required username=\"" + user + "\" password=\"" + password + "\";")));
  }

  private static List<String> truststore(String file) {
    return List.of(
        property("ssl.truststore.location", secured.certificates.resolve(file).toString()),
        property("ssl.truststore.type", "PKCS12"),
        property("ssl.truststore.password", SecuredKafka.STORE_PASSWORD));
  }

  private static List<String> keystore(String file) {
    return List.of(
        property("ssl.keystore.location", secured.certificates.resolve(file).toString()),
        property("ssl.keystore.type", "PKCS12"),
        property("ssl.keystore.password", SecuredKafka.STORE_PASSWORD));
  }

  /** {@code --set} of one consumer property; as one argument, which the run's args interleave. */
  private static String property(String name, String value) {
    return "--set=inputs[0].kafka.properties." + name + "=" + value;
  }
}
