package dev.authcore.examples.jetty;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.Role;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.IpAllowList;
import dev.authcore.store.InMemoryUserDirectory;
import jakarta.servlet.DispatcherType;
import java.util.Arrays;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/**
 * Embedded Jetty 12 serving {@code GET /api/whoami} behind {@link ApiTokenFilter}.
 *
 * <p>Run it with {@code java -jar examples/jetty-servlet/target/jetty-servlet-example.jar [port
 * [trusted-proxy-range ...]]}: it creates one user on an in-memory store, prints her token and a
 * {@code curl} command, and serves on 127.0.0.1 until stopped. With trusted proxy ranges, requests
 * from those ranges are judged by the client their {@code X-Forwarded-For} names.
 */
public final class JettyServletExample {
  private JettyServletExample() {}

  /**
   * Starts a server with the filter in front of {@code /api/*}.
   *
   * @param host the address to listen on; {@code null} for every local address (IPv4 and IPv6)
   * @param port the port, 0 for any free one ({@link ServerConnector#getLocalPort()} tells which)
   * @param proxies the trusted proxies, or {@code null} if clients connect directly
   */
  public static Server start(
      AuthCore core, @Nullable String host, int port, @Nullable ClientAddressResolver proxies)
      throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(
        new FilterHolder(new ApiTokenFilter(core.verifier(), proxies)),
        "/api/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new WhoAmIServlet()), "/api/whoami");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    return server;
  }

  /** Runs the example; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    @Nullable ClientAddressResolver proxies =
        args.length > 1
            ? ClientAddressResolver.trustingXForwardedFor(
                IpAllowList.parse(String.join("\n", Arrays.asList(args).subList(1, args.length))))
            : null;
    InMemoryUserDirectory users =
        new InMemoryUserDirectory().add("acme", "ann@example.com", Role.USER);
    AuthCore core = AuthCore.builder().tokenPrefix("acme").users(users).build();
    IssuedToken token = core.issuer().issue("ann@example.com", "laptop");
    Server server = start(core, "127.0.0.1", port, proxies);
    System.out.printf(
        "curl -H 'x-api-user: ann@example.com' -H 'x-api-token: %s' http://127.0.0.1:%d/api/whoami%n",
        token.revealPlaintext(), ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    server.join();
  }
}
