package dev.authcore.benchmarks.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's JSON API as the driver calls it: one call, its status and body. Thread-safe. */
final class Api {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Every call's bound; the gateway's own store calls are bounded by 3 s. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** An answer: status and body text. */
  record Answer(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  /** A user's credentials. */
  record Caller(String email, String token) {}

  /**
   * One request; {@code body} is JSON or {@code null}.
   *
   * @throws UncheckedIOException if the gateway cannot be reached or does not answer in time
   */
  Answer call(String base, String method, String path, Caller caller, @Nullable String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("x-api-user", caller.email())
            .header("x-api-token", caller.token());
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + base + path, e);
    }
  }

  /** The verification every load request makes: {@code GET /api/v0/corps}; returns the status. */
  int verify(String base, Caller caller) {
    return call(base, "GET", "/api/v0/corps", caller, null).status();
  }

  /** Calls and checks the status; a different one fails with the answer's body. */
  Answer expect(
      int status, String base, String method, String path, Caller caller, @Nullable String body) {
    Answer answer = call(base, method, path, caller, body);
    if (answer.status() != status) {
      throw new IllegalStateException(
          method
              + " "
              + base
              + path
              + " as "
              + caller.email()
              + " answered "
              + answer.status()
              + ", expected "
              + status
              + ": "
              + answer.body());
    }
    return answer;
  }
}
