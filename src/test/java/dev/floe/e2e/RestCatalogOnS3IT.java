package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reference pipeline into an {@code s3://} warehouse through Iceberg's REST catalog server,
 * behind a gateway that wants OAuth2 client credentials and can answer a commit it forwarded with
 * an error, as a REST catalog in production can.
 */
class RestCatalogOnS3IT extends CatalogOnS3Cases {
  private static final String CLIENT_ID = "floe-ingest";
  private static final String CLIENT_SECRET = "rest-secret-not-a-real-one";
  private static final AtomicInteger WAREHOUSES = new AtomicInteger();

  private String warehouse;
  private RestCatalogServer server;
  private CatalogGateway gateway;

  /** A catalog server per test, its warehouse under a prefix of its own. */
  @BeforeEach
  void startCatalog() throws Exception {
    warehouse = "s3://" + BUCKET + "/rest" + WAREHOUSES.incrementAndGet();
    server = RestCatalogServer.start(Files.createDirectories(dir.resolve("rest")), s3, warehouse);
    gateway = CatalogGateway.start(server.uri(), CLIENT_ID, CLIENT_SECRET);
  }

  @AfterEach
  void stopCatalog() throws Exception {
    gateway.close();
    server.close();
  }

  @Override
  String warehouse() {
    return warehouse;
  }

  @Override
  Map<String, String> catalogProperties() {
    Map<String, String> p = new HashMap<>();
    p.put("type", "rest");
    p.put("uri", gateway.uri());
    p.put("credential", CLIENT_ID + ":${FLOE_REST_SECRET}");
    p.put("oauth2-server-uri", gateway.uri() + "/v1/oauth/tokens");
    return onObjectStore(p);
  }

  @Override
  Map<String, String> secrets() {
    return Map.of("FLOE_REST_SECRET", CLIENT_SECRET);
  }

  /**
   * The catalog applies the batch's commit but the client is told it failed (500, or 503 as a
   * gateway says it): for Iceberg a commit in an unknown state. The run finds its batch in the
   * table by its id and commits nothing twice.
   */
  @ParameterizedTest
  @ValueSource(ints = {500, 503})
  void aCommitAnsweredWithAnErrorAfterItWasAppliedIsFoundNotRepeated(int status) throws Exception {
    String topic = topic("rest-unknown-" + status, 2, 1_000);
    gateway.failAfterCommit("sys01.cloudevents", status, 1);
    Path log = dir.resolve("run.log");
    int exit = run(topic, log);
    String output = Files.readString(log);
    assertThat(gateway.commitsAnsweredWithError()).as(output).isEqualTo(1);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("the catalog did not confirm the commit of batch");
    assertExactlyOnce(table("cloudevents"), 1_000);
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
    int snapshots = snapshotCount(table("cloudevents"));

    assertThat(run(topic, dir.resolve("rerun.log"))).isZero();
    assertThat(snapshotCount(table("cloudevents"))).isEqualTo(snapshots);
    assertExactlyOnce(table("cloudevents"), 1_000);
  }

  /**
   * On a Flink session cluster the task managers open the catalog and write to S3 themselves; their
   * environment holds neither the client secret nor the S3 keys: both reach them from the pipeline
   * file's {@code ${VAR}}, resolved by the launcher.
   */
  @Test
  void credentialsFromThePipelineFileReachTheWorkersOfAFlinkCluster() throws Exception {
    String topic = topic("rest-on-flink", 2, 1_000);
    List<String> extra =
        new ArrayList<>(List.of("--profile", "runner-profiles/flink-cluster.yaml"));
    Map<String, String> catalog = new HashMap<>(catalogProperties());
    catalog.put("s3.access-key-id", "${AWS_ACCESS_KEY_ID}");
    catalog.put("s3.secret-access-key", "${AWS_SECRET_ACCESS_KEY}");
    catalog.put("client.region", "${AWS_REGION}");
    catalog.forEach((k, v) -> extra.addAll(List.of("--set", "outputs[0].catalog." + k + "=" + v)));
    try (FlinkSessionCluster cluster = FlinkSessionCluster.start(dir.resolve("flink"), 2)) {
      Map<String, String> env = new HashMap<>(runEnvironment());
      env.put("FLINK_MASTER", cluster.master());
      Path log = dir.resolve("flink.log");
      Process p =
          startJar(List.of(), args("run", PIPELINE, topic, extra.toArray(String[]::new)), log, env);
      assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the run finished").isTrue();
      assertThat(p.exitValue()).as(Files.readString(log) + "\n" + cluster.logs()).isZero();
      assertThat(cluster.get("/overview").path("jobs-finished").asInt()).isEqualTo(1);
    }
    assertExactlyOnce(table("cloudevents"), 1_000);
    assertThat(table("cloudevents").currentSnapshot().summary())
        .containsEntry("floe.kafka.offsets", endOffsets(topic, 2).toJson());
  }

  /** A token the catalog issued earlier, given as {@code token: ${VAR}}, instead of a secret. */
  @Test
  void aBearerTokenFromTheEnvironmentIsEnough() throws Exception {
    String topic = topic("rest-token", 1, 100);
    Map<String, String> catalog = new HashMap<>(catalogProperties());
    catalog.remove("credential");
    catalog.remove("oauth2-server-uri");
    catalog.put("token", "${FLOE_REST_TOKEN}");
    List<String> extra = new ArrayList<>();
    catalog.forEach((k, v) -> extra.addAll(List.of("--set", "outputs[0].catalog." + k + "=" + v)));
    Map<String, String> env = new HashMap<>(S3ProxyServer.credentialsEnvironment());
    env.put("FLOE_REST_TOKEN", "client-credentials-token:sub=" + CLIENT_ID);
    Path log = dir.resolve("token.log");
    Process p =
        startJar(List.of(), args("run", PIPELINE, topic, extra.toArray(String[]::new)), log, env);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    assertThat(gateway.refusedRequests()).isZero();
    assertExactlyOnce(table("cloudevents"), 100);
  }

  @Test
  void aWrongClientSecretIsAClearErrorAndCommitsNothing() throws Exception {
    String topic = topic("rest-denied", 1, 10);
    String output = runRefused(topic, "FLOE_REST_SECRET", "not-the-secret");
    assertThat(gateway.refusedRequests()).isPositive();
    assertThat(output)
        .contains(
            "floe: the catalog (type rest, uri "
                + gateway.uri()
                + ") refused the credentials: Not authorized: invalid_client. Check"
                + " outputs[].catalog.credential (client-id:secret), token and oauth2-server-uri;"
                + " nothing was read or committed");
    assertThat(output).doesNotContain("Exception");
  }
}
