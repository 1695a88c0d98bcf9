package dev.authcore.examples.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the running application, and their JSON. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private Http() {}

  /**
   * Sends a request.
   *
   * @param url the full URL
   * @param json the body, sent as {@code application/json}, or {@code null} for none
   * @param headers header names and values, alternating
   */
  static HttpResponse<String> send(
      String method, String url, @Nullable String json, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The body as JSON. */
  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /**
   * The value of one series in a Prometheus exposition, such as {@code
   * authcore_verifications_total{outcome="authenticated"}}; fails if the series is absent.
   */
  static double metric(String exposition, String series) {
    for (String line : exposition.split("\n", -1)) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no series " + series + " in:\n" + exposition);
  }

  /** One JSON text as a tree. */
  static JsonNode json(String text) {
    return JSON.readTree(text);
  }
}
