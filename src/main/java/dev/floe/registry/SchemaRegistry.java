package dev.floe.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.config.Secrets;
import dev.floe.errors.Causes;
import dev.floe.errors.RunFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a schema registry's Confluent-compatible REST API (Confluent Schema Registry,
 * Apicurio's {@code /apis/ccompat/v7}, Karapace): schemas by id and a subject's versions. Settings
 * are the input's {@code registry.*} options: {@code basic.auth.user.info} ({@code user:password}),
 * {@code bearer.auth.token}, {@code ssl.truststore.location} and {@code ssl.truststore.password}.
 */
public final class SchemaRegistry implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final Map<String, String> properties;
  private transient HttpClient http;

  /** One registered version of a subject. */
  public record Version(String subject, int version, int id, String schema) {}

  /** The registry has no schema with the id a record names. */
  public static final class UnknownSchemaException extends Exception {
    UnknownSchemaException(String message) {
      super(message);
    }
  }

  public SchemaRegistry(String baseUrl, Map<String, String> properties) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.properties = Map.copyOf(properties);
  }

  public String url() {
    return baseUrl;
  }

  /** The schema text registered under {@code id}. */
  public String schemaById(int id) throws UnknownSchemaException {
    JsonNode found = get("/schemas/ids/" + id, "schema id " + id);
    if (found == null) {
      throw new UnknownSchemaException(
          "schema id " + id + " is not registered at " + baseUrl + " (the record names it)");
    }
    checkAvro(found, "schema id " + id);
    return found.path("schema").asText();
  }

  /** The subject's versions, oldest first; empty when nothing is registered under it. */
  public List<Version> versions(String subject) {
    String encoded = URLEncoder.encode(subject, StandardCharsets.UTF_8);
    JsonNode numbers = get("/subjects/" + encoded + "/versions", "subject " + subject);
    List<Version> out = new ArrayList<>();
    if (numbers == null) {
      return out;
    }
    for (JsonNode n : numbers) {
      String what = "subject " + subject + " version " + n.asInt();
      JsonNode v = get("/subjects/" + encoded + "/versions/" + n.asInt(), what);
      if (v != null) {
        checkAvro(v, what);
        out.add(
            new Version(
                subject,
                v.path("version").asInt(),
                v.path("id").asInt(),
                v.path("schema").asText()));
      }
    }
    LOG.info("schema registry {}: subject {} has versions {}", baseUrl, subject, numbers);
    return out;
  }

  private static void checkAvro(JsonNode registered, String what) {
    String type = registered.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new RunFailure(
          what + " is a " + type + " schema; format avro reads Avro schemas only", null);
    }
  }

  /** The response's JSON; null on 404 (no such id or subject). */
  private JsonNode get(String path, String what) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
    String userInfo = properties.get("basic.auth.user.info");
    if (userInfo != null) {
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
    String token = properties.get("bearer.auth.token");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<byte[]> response;
    try {
      response = client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      SSLHandshakeException handshake = Causes.find(e, SSLHandshakeException.class);
      if (handshake != null) {
        throw untrusted(what, handshake);
      }
      throw unreachable(what, Causes.innermostMessage(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable(what, "interrupted", e);
    }
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new RunFailure(
          "the schema registry at "
              + baseUrl
              + " refused "
              + what
              + " (HTTP "
              + response.statusCode()
              + "): set inputs[].options.registry.basic.auth.user.info or"
              + " registry.bearer.auth.token; nothing was committed",
          null);
    }
    if (response.statusCode() / 100 != 2) {
      throw unreachable(
          what,
          "HTTP "
              + response.statusCode()
              + " "
              + new String(response.body(), StandardCharsets.UTF_8).lines().findFirst().orElse(""),
          null);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw unreachable(what, "the answer is not JSON", e);
    }
  }

  private RunFailure unreachable(String what, String why, Throwable cause) {
    return new RunFailure(
        Secrets.hide(
            "the schema registry at "
                + baseUrl
                + " did not answer for "
                + what
                + ": "
                + why
                + ". Check inputs[].schemaRegistryUrl and that the registry runs; nothing was"
                + " committed, and a rerun continues where the table's offsets say"),
        cause);
  }

  /** A TLS handshake that failed: almost always a certificate the client does not trust. */
  private RunFailure untrusted(String what, SSLHandshakeException e) {
    String trusted =
        properties.containsKey("ssl.truststore.location")
            ? "the truststore " + properties.get("ssl.truststore.location") + " does not hold"
            : "the JVM's default truststore does not hold";
    return new RunFailure(
        "the TLS handshake with the schema registry at "
            + baseUrl
            + " failed for "
            + what
            + " ("
            + Causes.innermostMessage(e)
            + "): "
            + trusted
            + " the certificate of the registry or of its CA. Set"
            + " inputs[].options.registry.ssl.truststore.location (and"
            + " registry.ssl.truststore.password) to a truststore that does; nothing was committed",
        e);
  }

  private HttpClient client() {
    if (http == null) {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT);
      String truststore = properties.get("ssl.truststore.location");
      if (truststore != null) {
        b.sslContext(sslContext(truststore, properties.get("ssl.truststore.password")));
      }
      http = b.build();
    }
    return http;
  }

  private static SSLContext sslContext(String truststore, String password) {
    try (InputStream in = Files.newInputStream(Path.of(truststore))) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, trust.getTrustManagers(), null);
      return ssl;
    } catch (IOException | GeneralSecurityException e) {
      throw new RunFailure(
          "cannot read the registry truststore "
              + truststore
              + " (inputs[].options.registry.ssl.truststore.location): "
              + e.getMessage(),
          e);
    }
  }
}
