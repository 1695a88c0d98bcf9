package dev.authcore.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on the loopback interface, between a client and a server on this machine, that
 * injects the faults a database connection meets in production. Between tests and the server it
 * passes every byte both ways; on command it
 *
 * <ul>
 *   <li>{@linkplain #freeze() freezes}: keeps accepting connections and reading nothing, forwarding
 *       nothing either way, on new and open connections alike (a stuck primary, a partition);
 *       {@link #pass()} resumes them where they stopped;
 *   <li>{@linkplain #refuse() refuses}: stops listening, so new connections are refused;
 *   <li>{@linkplain #cut() cuts} the open connections (reset on both sides);
 *   <li>{@linkplain #strand() strands} the open connections: closes their server side and leaves
 *       the client side open and silent for good, as a partition leaves a client whose server
 *       dropped the connection meanwhile (no reset ever reaches the client).
 * </ul>
 *
 * <p>Bounded: at most {@value #MAX_LINKS} connections at once (more are closed on arrival), and the
 * proxy {@linkplain #close() closes} by itself after its lifetime, so a test that hangs cannot
 * leave threads or sockets behind. Every thread is a daemon. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
  static final int MAX_LINKS = 64;
  private static final int BUFFER = 16 * 1024;

  private static final AtomicInteger PROXIES = new AtomicInteger();

  private final InetAddress loopback;
  private final int targetPort;
  private final int port;
  private final String name;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Object state = new Object();

  // Guarded by state.
  private boolean frozen;
  private boolean closed;
  private @Nullable ServerSocket listener;

  private FaultProxy(int targetPort, Duration lifetime) throws IOException {
    this.loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    this.targetPort = targetPort;
    this.name = "fault-proxy-" + PROXIES.incrementAndGet();
    ServerSocket socket = bind(0);
    this.port = socket.getLocalPort();
    synchronized (state) {
      listener = socket;
    }
    daemon(() -> acceptLoop(socket), name + "-accept");
    long until = System.nanoTime() + lifetime.toNanos();
    daemon(
        () -> {
          try {
            long left;
            while ((left = until - System.nanoTime()) > 0 && !isClosed()) {
              Thread.sleep(Math.min(left / 1_000_000 + 1, 1000));
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            close();
          }
        },
        name + "-lifetime");
  }

  /**
   * A proxy on a free port of 127.0.0.1 forwarding to {@code 127.0.0.1:targetPort}, passing
   * traffic, that closes itself after {@code lifetime}.
   */
  public static FaultProxy start(int targetPort, Duration lifetime) {
    try {
      return new FaultProxy(targetPort, lifetime);
    } catch (IOException e) {
      throw new UncheckedIOException("the proxy could not listen on 127.0.0.1", e);
    }
  }

  /** The port the proxy listens on (the same after {@link #refuse} and {@link #pass}). */
  public int port() {
    return port;
  }

  /** Forwards again: resumes frozen connections and listens again after {@link #refuse}. */
  public void pass() {
    synchronized (state) {
      frozen = false;
      state.notifyAll();
    }
    listen();
  }

  /** Accepts connections but forwards nothing, on open connections too, until {@link #pass}. */
  public void freeze() {
    synchronized (state) {
      frozen = true;
    }
    listen();
  }

  /** Stops listening: connecting to {@link #port()} is refused until {@link #pass}. */
  public void refuse() {
    ServerSocket socket;
    synchronized (state) {
      socket = listener;
      listener = null;
    }
    closeQuietly(socket);
  }

  /** Resets every open connection, on both sides. New connections follow the current mode. */
  public void cut() {
    for (Link link : new ArrayList<>(links)) {
      link.close(true);
    }
  }

  /**
   * The open connections go silent for good: their server side is closed, their client side stays
   * open (until the proxy closes) and never hears anything again.
   */
  public void strand() {
    for (Link link : new ArrayList<>(links)) {
      link.strand();
    }
  }

  /** The number of open connections. */
  public int openConnections() {
    return links.size();
  }

  /** Stops listening and closes every connection. Idempotent. */
  @Override
  public void close() {
    ServerSocket socket;
    synchronized (state) {
      closed = true;
      socket = listener;
      listener = null;
      state.notifyAll();
    }
    closeQuietly(socket);
    for (Link link : new ArrayList<>(links)) {
      link.close(true);
    }
  }

  private boolean isClosed() {
    synchronized (state) {
      return closed;
    }
  }

  /** Listens again on the same port unless listening or closed. */
  private void listen() {
    ServerSocket socket;
    synchronized (state) {
      if (listener != null || closed) {
        return;
      }
      try {
        socket = bind(port);
      } catch (IOException e) {
        throw new UncheckedIOException("the proxy could not listen again on port " + port, e);
      }
      listener = socket;
    }
    daemon(() -> acceptLoop(socket), name + "-accept");
  }

  private ServerSocket bind(int onPort) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(loopback, onPort), 50);
    return socket;
  }

  private void acceptLoop(ServerSocket socket) {
    while (true) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return; // closed by refuse() or close()
      }
      if (isClosed() || links.size() >= MAX_LINKS) {
        reset(client);
        continue;
      }
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(loopback, targetPort), 2000);
      } catch (IOException e) {
        reset(client);
        closeQuietly(server);
        continue;
      }
      Link link = new Link(client, server);
      links.add(link);
      if (isClosed()) {
        link.close(true);
        continue;
      }
      daemon(() -> link.pump(client, server), name + "-up");
      daemon(() -> link.pump(server, client), name + "-down");
    }
  }

  /** Blocks while frozen; false once the proxy is closed. */
  private boolean awaitFlowing() {
    synchronized (state) {
      while (frozen && !closed) {
        try {
          state.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !closed;
    }
  }

  /** One proxied connection: a client socket and a server socket. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private volatile boolean stranded;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    /** Copies {@code from} to {@code to} until either ends, holding every byte while frozen. */
    void pump(Socket from, Socket to) {
      byte[] buffer = new byte[BUFFER];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        while (awaitFlowing()) {
          int n = in.read(buffer);
          if (n < 0 || !awaitFlowing() || stranded) {
            break;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: the link ends
      }
      if (!stranded) {
        close(false);
      }
    }

    void strand() {
      stranded = true;
      closeQuietly(server);
      // The client socket stays open and silent; the proxy's close() releases it.
    }

    void close(boolean withReset) {
      links.remove(this);
      if (withReset) {
        reset(client);
        reset(server);
      } else {
        closeQuietly(client);
        closeQuietly(server);
      }
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // a close with linger 0 sends RST
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        // nothing to do: it is going away either way
      }
    }
  }

  private static void daemon(Runnable task, String threadName) {
    Thread thread = new Thread(task, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** A PostgreSQL JDBC URL through this proxy, with pgjdbc's connect and login timeouts. */
  public String jdbcUrl(String database, String user, Duration connectAndLogin) {
    long seconds = Math.max(1, connectAndLogin.toSeconds());
    return "jdbc:postgresql://127.0.0.1:"
        + port
        + "/"
        + database
        + "?user="
        + user
        + "&connectTimeout="
        + seconds
        + "&loginTimeout="
        + seconds;
  }
}
