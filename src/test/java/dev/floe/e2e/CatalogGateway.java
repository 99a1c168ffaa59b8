package dev.floe.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What stands between Floe and a REST catalog in production: a gateway that wants credentials and
 * can fail. It forwards every request to the catalog server unchanged, and on the way
 *
 * <ul>
 *   <li>issues tokens only for the right OAuth2 client secret and refuses any request without the
 *       bearer token the catalog issued for it (401, as an authenticating gateway does);
 *   <li>answers a snapshot commit the catalog has applied with a 5xx when told to, as a gateway
 *       whose upstream timed out does: the client cannot know whether its commit happened.
 * </ul>
 */
final class CatalogGateway implements AutoCloseable {
  private static final Pattern TABLE_COMMIT =
      Pattern.compile("/v1/(.+/)?namespaces/[^/]+/tables/[^/]+");
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "transfer-encoding", "host", "expect", "upgrade");

  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI upstream;
  private final String clientId;
  private final String clientSecret;
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger commitsAnsweredWithError = new AtomicInteger();

  private CatalogGateway(URI upstream, String clientId, String clientSecret) throws IOException {
    this.upstream = upstream;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", this::handle);
    server.start();
  }

  /** A gateway in front of {@code upstream} that admits the OAuth2 client {@code clientId}. */
  static CatalogGateway start(URI upstream, String clientId, String clientSecret)
      throws IOException {
    return new CatalogGateway(upstream, clientId, clientSecret);
  }

  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A snapshot commit the catalog applied, answered with {@code status} instead. */
  private record Fault(int status, AtomicInteger remaining) {}

  /** The next {@code times} commits to {@code table} are applied, then answered with status. */
  void failAfterCommit(String table, int status, int times) {
    faults.put(table, new Fault(status, new AtomicInteger(times)));
  }

  int refusedRequests() {
    return refused.get();
  }

  int commitsAnsweredWithError() {
    return commitsAnsweredWithError.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/oauth/tokens")) {
        if (!clientSecret.equals(form(body).get("client_secret"))) {
          refused.incrementAndGet();
          respond(exchange, 401, "{\"error\":\"invalid_client\"}");
          return;
        }
      } else if (!expectedAuthorization()
          .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        respond(exchange, 401, error(401, "NotAuthorizedException", "not authorized"));
        return;
      }
      HttpResponse<byte[]> answer = forward(exchange, body);
      Fault fault = faults.get(tableOf(path));
      if ("POST".equals(exchange.getRequestMethod())
          && TABLE_COMMIT.matcher(path).matches()
          && new String(body, StandardCharsets.UTF_8).contains("\"add-snapshot\"")
          && answer.statusCode() == 200
          && fault != null
          && fault.remaining().getAndDecrement() > 0) {
        commitsAnsweredWithError.incrementAndGet();
        respond(
            exchange,
            fault.status(),
            error(fault.status(), "ServiceFailureException", "upstream timed out"));
        return;
      }
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] out = answer.body();
      exchange.sendResponseHeaders(answer.statusCode(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        exchange.getResponseBody().write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String expectedAuthorization() {
    return "Bearer client-credentials-token:sub=" + clientId;
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
              }
            });
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** "sys01.cloudevents" for a commit path ending in namespaces/sys01/tables/cloudevents. */
  private static String tableOf(String path) {
    List<String> parts = List.of(path.split("/"));
    int n = parts.size();
    return n >= 4 && "tables".equals(parts.get(n - 2)) && "namespaces".equals(parts.get(n - 4))
        ? parts.get(n - 3) + "." + parts.get(n - 1)
        : "";
  }

  private static Map<String, String> form(byte[] body) {
    Map<String, String> fields = new java.util.HashMap<>();
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static String error(int code, String type, String message) {
    return "{\"error\":{\"message\":\""
        + message
        + "\",\"type\":\""
        + type
        + "\",\"code\":"
        + code
        + "}}";
  }

  private static void respond(HttpExchange exchange, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
