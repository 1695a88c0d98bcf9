package dev.authcore.testkit.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A deadline for reading each request whole, head and body: a connection must deliver its next
 * complete request within {@link #millis} of opening or of the previous response, or it is closed.
 *
 * <p>Why not only an idle timeout: an idle timeout restarts with every byte, so a client sending
 * one byte every half second keeps a request open for ever. Jetty reads request heads without
 * holding a thread, so a slow head costs a connection, not a thread; this deadline bounds how long
 * it costs that. The body is read the same way ({@link JettyAdapter}), under the same deadline.
 * Once a request is read, the deadline stops until its response is written: the gateway's own work
 * is bounded elsewhere (each store call), and writing the response by Jetty's idle timeout.
 *
 * <p>Thread-safe. Registered on the connector as a {@link Connection.Listener}, so Jetty tells it
 * of every connection that opens and closes.
 */
final class ReadDeadline implements Connection.Listener {
  private final Scheduler scheduler;
  private final long millis;
  private final ConcurrentMap<Connection, Scheduler.Task> armed = new ConcurrentHashMap<>();

  ReadDeadline(Scheduler scheduler, long millis) {
    this.scheduler = scheduler;
    this.millis = millis;
  }

  /** The deadline in milliseconds. */
  long millis() {
    return millis;
  }

  @Override
  public void onOpened(Connection connection) {
    arm(connection);
  }

  @Override
  public void onClosed(Connection connection) {
    disarm(connection);
  }

  /** Starts the deadline for the next request on {@code connection}. */
  void arm(Connection connection) {
    Scheduler.Task task =
        scheduler.schedule(() -> expire(connection), millis, TimeUnit.MILLISECONDS);
    Scheduler.Task old = armed.put(connection, task);
    if (old != null) {
      old.cancel();
    }
  }

  /** Stops the deadline: the request on {@code connection} has been read whole. */
  void disarm(Connection connection) {
    Scheduler.Task task = armed.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  /** Whether a deadline runs for {@code connection} (for tests). */
  boolean isArmed(Connection connection) {
    return armed.containsKey(connection);
  }

  private void expire(Connection connection) {
    armed.remove(connection);
    connection
        .getEndPoint()
        .close(new TimeoutException("request not read within " + millis + " ms"));
  }
}
