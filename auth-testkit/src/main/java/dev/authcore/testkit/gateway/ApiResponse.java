package dev.authcore.testkit.gateway;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One answer of {@link ApiHandler}, ready for any HTTP server to send: the status, the headers and
 * the body's bytes ({@code null} for none, as for 204). Immutable; the body array is owned by this
 * value and only read by whoever sends it.
 */
final class ApiResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte @Nullable [] body;

  ApiResponse(int status, Map<String, String> headers, byte @Nullable [] body) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
  }

  int status() {
    return status;
  }

  /** Header names to values, one value each. */
  Map<String, String> headers() {
    return headers;
  }

  /** The body, or {@code null} if the response has none. Not copied: callers only read it. */
  byte @Nullable [] body() {
    return body;
  }
}
