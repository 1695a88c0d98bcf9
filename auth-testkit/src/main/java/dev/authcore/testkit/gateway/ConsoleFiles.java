package dev.authcore.testkit.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The web console's static files ({@code GET /} and the HTML, CSS and JavaScript modules it loads),
 * served on the gateway's port beside the JSON API. The console is a plain client of that API: it
 * holds no server-side state and sees nothing a {@code curl} user could not.
 *
 * <p>Only the files named in {@link #FILES} exist: each is read from the jar once, when the gateway
 * starts, so a path is looked up in a map and never touches a file system. Anything else, a
 * directory, a {@code ..}, an encoded dot, answers {@code 404}, so there is no listing and no way
 * out of the folder. Every answer carries a Content-Security-Policy that allows scripts, styles and
 * requests from this origin only (no inline script or style, no {@code eval}, no frames), {@code
 * X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}. Thread-safe.
 */
final class ConsoleFiles {
  /** Where the files are in the jar. */
  static final String FOLDER = "dev/authcore/testkit/gateway/console/";

  /** The console's files: every one that may be served, and its content type. */
  static final Map<String, String> FILES =
      Map.ofEntries(
          Map.entry("index.html", "text/html; charset=utf-8"),
          Map.entry("console.css", "text/css; charset=utf-8"),
          Map.entry("app.js", "text/javascript; charset=utf-8"),
          Map.entry("api.js", "text/javascript; charset=utf-8"),
          Map.entry("dom.js", "text/javascript; charset=utf-8"),
          Map.entry("dialog.js", "text/javascript; charset=utf-8"),
          Map.entry("signin.js", "text/javascript; charset=utf-8"),
          Map.entry("mytokens.js", "text/javascript; charset=utf-8"),
          Map.entry("corptokens.js", "text/javascript; charset=utf-8"),
          Map.entry("settings.js", "text/javascript; charset=utf-8"),
          Map.entry("users.js", "text/javascript; charset=utf-8"));

  /** The policy of every answer: this origin only; no inline code, no eval, never framed. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private final Map<String, byte[]> bodies;

  private ConsoleFiles(Map<String, byte[]> bodies) {
    this.bodies = bodies;
  }

  /**
   * Reads every file of {@link #FILES} from the class path.
   *
   * @throws IllegalStateException if one is missing (a broken build)
   */
  static ConsoleFiles load() {
    Map<String, byte[]> bodies = new HashMap<>();
    ClassLoader loader = ConsoleFiles.class.getClassLoader();
    for (String name : FILES.keySet()) {
      try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "the console file " + FOLDER + name + " is not in the jar");
        }
        bodies.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the console file " + FOLDER + name, e);
      }
    }
    return new ConsoleFiles(Map.copyOf(bodies));
  }

  /**
   * A handler that sends {@code /api/...} to {@code api} and every other path to these files.
   *
   * @param api answers the JSON API's requests
   */
  Function<ApiRequest, ApiResponse> beside(Function<ApiRequest, ApiResponse> api) {
    return request -> {
      String path = request.rawPath();
      return path.equals("/api") || path.startsWith("/api/") ? api.apply(request) : serve(request);
    };
  }

  /** Answers a request for a console file: {@code 200}, {@code 404} or {@code 405}. */
  ApiResponse serve(ApiRequest request) {
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      Map<String, String> headers = headers("application/json; charset=utf-8");
      headers.put("Allow", "GET, HEAD");
      return new ApiResponse(
          405,
          headers,
          json(
              Json.error(
                  "method " + GatewayOptions.printable(method) + " not allowed here",
                  java.util.List.of("allowed: GET, HEAD"))));
    }
    String path = request.rawPath();
    String name = path.equals("/") ? "index.html" : path.substring(1);
    byte[] body = bodies.get(name); // exact names only: "a/b", "..", "%2e" are never keys
    if (body == null) {
      return new ApiResponse(
          404, headers("application/json; charset=utf-8"), json(Json.error("not found")));
    }
    // Jetty sends no body for HEAD, and the length of the GET's body.
    return new ApiResponse(
        200, headers(FILES.getOrDefault(name, "application/octet-stream")), body);
  }

  private static Map<String, String> headers(String contentType) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Frame-Options", "DENY");
    // Revalidate each time, so a new jar's files are never mixed with an old cached one.
    headers.put("Cache-Control", "no-cache");
    return headers;
  }

  private static byte[] json(tools.jackson.databind.JsonNode node) {
    return Json.MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
  }
}
