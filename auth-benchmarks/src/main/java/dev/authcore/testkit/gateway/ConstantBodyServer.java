package dev.authcore.testkit.gateway;

import dev.authcore.net.ClientAddresses;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.NullMarked;

/**
 * The floor of the gateway load test ({@code auth-benchmarks/load/run}): the reference gateway's
 * own Jetty server ({@link Gateway#server}: same connector, thread pool, connection limit, read
 * deadline, header limit and error handler, and the same {@link JettyAdapter} reading each request
 * whole) answering every request with the constant body {@code GET /api/v0/corps} answers for the
 * demo corp, with the gateway's headers, and no authentication, no routing, no JSON encoding.
 *
 * <p>It lives in the gateway's package, in the benchmark module, to reach the package-private
 * server factory: the gateway has no public API for a different handler, and the benchmark code
 * stays out of the shipped test kit. Run from the benchmark jar:
 *
 * <pre>
 * java -cp auth-benchmarks/target/benchmarks.jar dev.authcore.testkit.gateway.ConstantBodyServer --port 0
 * </pre>
 *
 * <p>It listens on 127.0.0.1 only, prints {@code listening on http://127.0.0.1:<port>} once it
 * serves, and runs until the process is stopped.
 */
@NullMarked
public final class ConstantBodyServer {
  /** What the gateway answers for {@code GET /api/v0/corps} as a user of the demo corp. */
  static final byte[] BODY =
      "{\"data\":[{\"name\":\"demo\",\"displayName\":\"demo\",\"created\":\"2026-01-01T00:00:00.000Z\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  private static final Map<String, String> HEADERS =
      Map.of("Content-Type", "application/json; charset=utf-8", "Cache-Control", "no-store");

  /** Held so that the level set on it stays (see {@code Gateway}'s logger of the same name). */
  private static final java.util.logging.Logger JETTY_LOG =
      java.util.logging.Logger.getLogger("org.eclipse.jetty");

  private ConstantBodyServer() {}

  /**
   * Starts the server.
   *
   * @param args {@code --port N} (0 picks a free port)
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--port")) {
      System.err.println("usage: ConstantBodyServer --port N   (0 picks a free port)");
      System.exit(2);
      return;
    }
    int port;
    try {
      port = Integer.parseInt(args[1]);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      System.err.println("--port must be a number from 0 to 65535, got '" + args[1] + "'");
      System.exit(2);
      return;
    }
    JETTY_LOG.setLevel(java.util.logging.Level.WARNING); // as the gateway does
    ApiResponse answer = new ApiResponse(200, HEADERS, BODY);
    Function<ApiRequest, ApiResponse> constant = request -> answer;
    Server server = Gateway.server(ClientAddresses.parse("127.0.0.1"), port, constant);
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.stop();
                  } catch (Exception e) {
                    // the process is going away
                  }
                },
                "floor-shutdown"));
    int bound = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    System.out.println("listening on http://127.0.0.1:" + bound);
    System.out.flush();
  }
}
