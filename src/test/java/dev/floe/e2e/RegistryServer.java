package dev.floe.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Apicurio Registry (in-memory storage) in a JVM of its own, spoken to through its
 * Confluent-compatible API, and the registry serializer's wire format: a zero byte, the schema id,
 * the Avro binary.
 */
final class RegistryServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The password of the certificates {@link Certificates} makes for the HTTPS port. */
  static final String TLS_PASSWORD = "registry-tls-pw";

  private final ServerProcess process;
  private final int httpsPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private RegistryServer(ServerProcess process, int httpsPort) {
    this.process = process;
    this.httpsPort = httpsPort;
  }

  /**
   * The registry on HTTP and, with the key {@link Certificates} makes in {@code dir}, on HTTPS
   * (trusted by {@code dir/client-trusts.p12}, not by {@code dir/untrusted.p12}).
   */
  static RegistryServer start(Path dir) throws Exception {
    Certificates.make(dir, TLS_PASSWORD, "CN=floe");
    int port = ServerProcess.freePort();
    int httpsPort = ServerProcess.freePort();
    ServerProcess process =
        ServerProcess.start(
            "Apicurio Registry",
            List.of(
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.ssl-port=" + httpsPort,
                "-Dquarkus.http.ssl.certificate.key-store-file=" + dir.resolve("broker.p12"),
                "-Dquarkus.http.ssl.certificate.key-store-password=" + TLS_PASSWORD,
                "-jar",
                ServerProcess.testServerFile(
                        "apicurio/apicurio-registry-app-2.6.13.Final-runner.jar")
                    .toString()),
            Map.of(),
            dir.resolve("registry.log"),
            port);
    return new RegistryServer(process, httpsPort);
  }

  /** The same API on the HTTPS port. */
  String httpsUrl() {
    return "https://127.0.0.1:" + httpsPort + "/apis/ccompat/v7";
  }

  /** The Confluent-compatible base URL, what {@code schemaRegistryUrl} takes. */
  String url() {
    return "http://127.0.0.1:" + process.port + "/apis/ccompat/v7";
  }

  /** Registers {@code schema} under {@code subject}, as a registry serializer does; its id. */
  int register(String subject, Schema schema) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("registering failed: " + response.body());
    }
    return JSON.readTree(response.body()).path("id").asInt();
  }

  /** {@code record} in the registry's wire format under schema {@code id}. */
  static byte[] wire(int id, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
