package dev.authcore.testkit.gateway;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One request as {@link ApiHandler} sees it, whatever HTTP server delivered it: the method, the raw
 * (still percent-encoded) path and query, the header lines, the socket peer and the whole body,
 * already read within the server's bounds. Immutable; the body array is owned by this value and
 * never handed to anything that writes to it.
 */
final class ApiRequest {
  private final String method;
  private final String rawPath;
  private final @Nullable String rawQuery;
  private final Map<String, List<String>> headers;
  private final InetAddress peer;
  private final byte[] body;

  /**
   * A request.
   *
   * @param headers header lines in the order received, as {@code [name, value]} pairs; names are
   *     matched ignoring ASCII case
   */
  ApiRequest(
      String method,
      String rawPath,
      @Nullable String rawQuery,
      List<Map.Entry<String, String>> headers,
      InetAddress peer,
      byte[] body) {
    this.method = method;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    Map<String, List<String>> byName = new TreeMap<>();
    for (Map.Entry<String, String> header : headers) {
      byName
          .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
          .add(header.getValue());
    }
    byName.replaceAll((name, values) -> List.copyOf(values));
    this.headers = byName;
    this.peer = peer;
    this.body = body.clone();
  }

  String method() {
    return method;
  }

  /** The path as sent, percent-encoded. */
  String rawPath() {
    return rawPath;
  }

  /** The query string as sent, without {@code ?}, or {@code null} if there is none. */
  @Nullable String rawQuery() {
    return rawQuery;
  }

  /** Every value of the header {@code name} (any case), in order; empty if absent. */
  List<String> headers(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The socket peer's address. */
  InetAddress peer() {
    return peer;
  }

  /** The body's bytes; empty when there was none. Not copied: callers only read it. */
  byte[] body() {
    return body;
  }
}
