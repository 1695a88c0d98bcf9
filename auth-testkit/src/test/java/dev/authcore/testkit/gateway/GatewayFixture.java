package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A gateway started in this JVM on a free port, as {@code java -jar auth-gateway.jar} would start
 * it, with the users of {@link #USERS}, its bootstrap tokens read from {@code --tokens-out}, its
 * audit log in a file, and an {@link HttpClient} to call it.
 */
final class GatewayFixture implements AutoCloseable {
  static final String USERS =
      """
      # corp email role
      acme olga@example.com OWNER
      acme ann@example.com USER
      acme bob@example.com USER
      beta bea@example.org OWNER
      """;

  static final String OLGA = "olga@example.com";
  static final String ANN = "ann@example.com";
  static final String BOB = "bob@example.com";
  static final String BEA = "bea@example.org";

  final Gateway gateway;
  final Map<String, String> tokens = new LinkedHashMap<>();
  final Path auditLog;
  final String stdout;
  final String stderr;
  final List<String> responses = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A reply: status and body (parsed; a missing node when empty). */
  record Reply(int status, String text, JsonNode json) {}

  private GatewayFixture(Gateway gateway, Path dir, String stdout, String stderr)
      throws IOException {
    this.gateway = gateway;
    this.auditLog = dir.resolve("audit.jsonl");
    this.stdout = stdout;
    this.stderr = stderr;
    for (String line : Files.readAllLines(dir.resolve("tokens.txt"), StandardCharsets.UTF_8)) {
      int space = line.indexOf(' ');
      tokens.put(line.substring(0, space), line.substring(space + 1));
    }
  }

  /** Starts a gateway with the fixture's users in {@code dir}, plus {@code extraArgs}. */
  static GatewayFixture start(Path dir, String... extraArgs) throws IOException {
    Path users = Files.writeString(dir.resolve("users.txt"), USERS);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--port", "0",
                "--users", users.toString(),
                "--tokens-out", dir.resolve("tokens.txt").toString(),
                "--audit-log", dir.resolve("audit.jsonl").toString()));
    args.addAll(List.of(extraArgs));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    GatewayMain.Launch launch =
        GatewayMain.launch(
            args.toArray(new String[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String stderr = err.toString(StandardCharsets.UTF_8);
    assertThat(launch.gateway()).as("gateway started; stderr: %s", stderr).isNotNull();
    return new GatewayFixture(
        Objects.requireNonNull(launch.gateway()),
        dir,
        out.toString(StandardCharsets.UTF_8),
        stderr);
  }

  URI uri(String path) {
    return gateway.baseUri().resolve(path);
  }

  /** Calls the gateway as {@code email} with that user's bootstrap token. */
  Reply as(String email, String method, String path, @Nullable String body) {
    return call(method, path, email, token(email), body);
  }

  /** The bootstrap token of {@code email}. */
  String token(String email) {
    String token = tokens.get(email);
    if (token == null) {
      throw new AssertionError("no bootstrap token for " + email + " in " + tokens.keySet());
    }
    return token;
  }

  /** Calls the gateway with these credentials (a {@code null} header is not sent). */
  Reply call(
      String method,
      String path,
      @Nullable String email,
      @Nullable String token,
      @Nullable String body) {
    return call(method, path, email, token, body, Map.of());
  }

  /** As {@link #call(String, String, String, String, String)}, with extra request headers. */
  Reply call(
      String method,
      String path,
      @Nullable String email,
      @Nullable String token,
      @Nullable String body,
      Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (email != null) {
      request.header("x-api-user", email);
    }
    if (token != null) {
      request.header("x-api-token", token);
    }
    if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      String text = response.body();
      responses.add(text);
      JsonNode json = text.isEmpty() ? MissingNode.getInstance() : Json.MAPPER.readTree(text);
      return new Reply(response.statusCode(), text, json);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The audit log's lines so far (every event published before the call), parsed. */
  List<JsonNode> audit() throws IOException {
    awaitAudit();
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(auditLog, StandardCharsets.UTF_8)) {
      out.add(Json.MAPPER.readTree(line));
    }
    return out;
  }

  String auditText() throws IOException {
    awaitAudit();
    return Files.readString(auditLog, StandardCharsets.UTF_8);
  }

  private void awaitAudit() {
    assertThat(gateway.awaitAuditWritten(java.time.Duration.ofSeconds(30)))
        .as("audit events written within 30 s")
        .isTrue();
  }

  @Override
  public void close() {
    gateway.close();
  }
}
