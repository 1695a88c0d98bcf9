package dev.authcore.testkit.gateway;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange held in memory, so the API logic can be driven without a socket: the request is
 * what the test gives, the response is recorded. Not thread-safe.
 */
final class FakeExchange {
  private final ApiRequest request;
  private @Nullable ApiResponse response;
  private int answers;

  FakeExchange(
      String method,
      URI uri,
      List<Map.Entry<String, String>> requestHeaders,
      byte[] body,
      InetSocketAddress peer) {
    this.request =
        new ApiRequest(
            method,
            uri.getRawPath() == null ? "" : uri.getRawPath(),
            uri.getRawQuery(),
            requestHeaders,
            peer.getAddress(),
            body);
  }

  /** Has {@code handler} answer the request. */
  void runOn(ApiHandler handler) {
    response = handler.handle(request);
    answers++;
  }

  /** The status answered, or -1 if none was. */
  int status() {
    return response == null ? -1 : response.status();
  }

  /** How many times the request was answered. */
  int statusesSent() {
    return answers;
  }

  byte[] responseBytes() {
    byte @Nullable [] body = response == null ? null : response.body();
    return body == null ? new byte[0] : body.clone();
  }

  /** The response header {@code name}, or {@code null}. */
  @Nullable String responseHeader(String name) {
    return response == null ? null : response.headers().get(name);
  }
}
