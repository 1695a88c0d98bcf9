package dev.authcore.benchmarks;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A socket factory for pgjdbc ({@code socketFactory} connection property) that counts round trips
 * to the database: each read from a socket that follows a write to it is one round trip (the driver
 * buffers a request's messages and flushes them whole, then reads the answer). This counts what the
 * wire sees, whatever the JDBC calls that caused it, including those a driver makes on its own
 * (pgjdbc's {@code getTransactionIsolation} asks the server).
 *
 * <p>Counts are kept per thread: a benchmark reads the round trips its own thread made, and work on
 * other threads (a pool opening connections in the background) is not counted. pgjdbc builds the
 * factory by class name, so it must be public with a public no-argument constructor.
 */
public final class RoundTripCountingSocketFactory extends SocketFactory {
  private static final ThreadLocal<long[]> ROUND_TRIPS = ThreadLocal.withInitial(() -> new long[1]);

  /** For pgjdbc, which instantiates the factory named in its {@code socketFactory} property. */
  public RoundTripCountingSocketFactory() {}

  /** Round trips the calling thread has made on sockets of this factory so far. */
  static long roundTrips() {
    return ROUND_TRIPS.get()[0];
  }

  @Override
  public Socket createSocket() {
    return new CountingSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket socket = new CountingSocket();
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket socket = new CountingSocket();
    socket.bind(new InetSocketAddress(localHost, localPort));
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket socket = new CountingSocket();
    socket.connect(new InetSocketAddress(host, port));
    return socket;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket socket = new CountingSocket();
    socket.bind(new InetSocketAddress(localAddress, localPort));
    socket.connect(new InetSocketAddress(address, port));
    return socket;
  }

  /** A plain TCP socket whose streams note writes and count the first read after each. */
  private static final class CountingSocket extends Socket {
    /** Whether something was written since the last read: the next read ends a round trip. */
    private volatile boolean written;

    private @Nullable InputStream countingIn;
    private @Nullable OutputStream countingOut;

    private void answered() {
      if (written) {
        written = false;
        ROUND_TRIPS.get()[0]++;
      }
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      InputStream stream = countingIn;
      if (stream == null) {
        stream =
            new FilterInputStream(super.getInputStream()) {
              @Override
              public int read() throws IOException {
                answered();
                return super.read();
              }

              @Override
              public int read(byte[] b, int off, int len) throws IOException {
                answered();
                return in.read(b, off, len);
              }
            };
        countingIn = stream;
      }
      return stream;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      OutputStream stream = countingOut;
      if (stream == null) {
        stream =
            new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(int b) throws IOException {
                written = true;
                out.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                written = true;
                out.write(b, off, len);
              }
            };
        countingOut = stream;
      }
      return stream;
    }
  }
}
