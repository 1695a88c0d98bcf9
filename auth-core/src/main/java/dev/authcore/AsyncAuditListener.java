package dev.authcore;

import java.io.Flushable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AuditListener} that hands events to another listener on a thread of its own, so a slow
 * listener (a file, a network appender, a SIEM client) never slows a request.
 *
 * <pre>{@code
 * AsyncAuditListener audit =
 *     AsyncAuditListener.wrap(AuditEvents.jsonLinesTo(writer), 10_000, Duration.ofSeconds(5));
 * AuthCore core = AuthCore.builder().auditListener(audit)...build();
 * ...
 * core.close();
 * audit.close(); // delivers what is queued, for at most 5 seconds
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>{@link #onEvent} never waits for the delegate or for room: it puts the event in a bounded
 *       queue (a short lock, no I/O) and returns. When the queue is full the event is dropped and
 *       counted in {@link #dropped()}: under a flood of rejections, losing audit events is chosen
 *       over slowing or failing requests. Watch the counter (a metric, a health check).
 *   <li>Events reach the delegate in the order {@code onEvent} accepted them, one at a time, on one
 *       daemon thread named {@code auth-core-audit}.
 *   <li>A delegate that is also {@link Flushable} (a writer of JSON lines, say) is flushed each
 *       time the queue runs empty: under load it writes in batches, one system call for many
 *       events, and when events are few each is flushed as soon as it is written. It need not flush
 *       per event itself.
 *   <li>A delegate that throws is counted in {@link #failures()} and reported through {@link
 *       System.Logger} (at the first failure and then at each power of two); the thread goes on
 *       with the next event.
 *   <li>{@link #close()} stops taking events (later ones are dropped and counted), delivers what is
 *       queued for at most the drain timeout, then interrupts the thread; events still queued then
 *       are counted as dropped, and the thread delivers nothing more. Close it after the {@link
 *       AuthCore} that publishes to it.
 * </ul>
 *
 * <p>Thread-safe. Events are immutable and hold no secret, so queueing them keeps none.
 */
public final class AsyncAuditListener implements AuditListener, AutoCloseable {
  /** The largest queue capacity accepted: room for bursts, not a memory leak. */
  public static final int MAX_CAPACITY = 1_000_000;

  private static final System.Logger LOG = System.getLogger(AsyncAuditListener.class.getName());

  /** Tells the thread that close() was called; never given to the delegate. */
  private static final Object STOP = new Object();

  private final AuditListener delegate;
  private final int capacity;
  private final Duration drainTimeout;
  private final ArrayBlockingQueue<Object> queue;
  private final Thread thread;
  private final @Nullable Flushable flushable;
  private final AtomicLong accepted = new AtomicLong();
  // Events handed over and, for a Flushable delegate, flushed: what awaitDelivered waits for.
  private final AtomicLong settled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean closed;
  // Set when close() gives up waiting: the thread delivers nothing more.
  private volatile boolean abandoned;

  private AsyncAuditListener(AuditListener delegate, int capacity, Duration drainTimeout) {
    this.delegate = delegate;
    this.flushable = delegate instanceof Flushable f ? f : null;
    this.capacity = capacity;
    this.drainTimeout = drainTimeout;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "auth-core-audit");
    thread.setDaemon(true);
  }

  /**
   * Starts a dispatcher to {@code delegate}.
   *
   * @param capacity how many events may wait, 1 to {@value #MAX_CAPACITY}
   * @param drainTimeout how long {@link #close()} may take to deliver what is queued, from zero to
   *     one hour
   * @throws NullPointerException if {@code delegate} or {@code drainTimeout} is null
   * @throws IllegalArgumentException if {@code capacity} or {@code drainTimeout} is out of range
   */
  public static AsyncAuditListener wrap(
      AuditListener delegate, int capacity, Duration drainTimeout) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException(
          "capacity must be between 1 and " + MAX_CAPACITY + " events, got " + capacity);
    }
    if (drainTimeout.isNegative() || drainTimeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "drainTimeout must be between zero and one hour, got " + drainTimeout);
    }
    if (delegate instanceof AsyncAuditListener) {
      throw new IllegalArgumentException(
          "delegate is already an AsyncAuditListener: a second queue and thread add nothing");
    }
    AsyncAuditListener listener = new AsyncAuditListener(delegate, capacity, drainTimeout);
    listener.thread.start();
    return listener;
  }

  /** Queues the event for the delegate, or drops and counts it if the queue is full or closed. */
  @Override
  public void onEvent(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed || !queue.offer(event)) {
      dropped.incrementAndGet();
    } else {
      accepted.incrementAndGet();
    }
  }

  /**
   * Waits until every event this listener had queued when the call began has been handed to the
   * delegate (whether or not the delegate threw) and, for a {@link Flushable} delegate, flushed,
   * for at most {@code timeout}: a checkpoint for tests and for a caller that must know what is
   * already written before going on. Events queued during the wait are not waited for. It polls
   * every tenth of a millisecond; it is not meant for the request path.
   *
   * @return whether those events were all handed over in time; false also when {@link #close()}
   *     gave up on them
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public boolean awaitDelivered(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    long target = accepted.get();
    long start = System.nanoTime();
    long wait = timeout.compareTo(Duration.ofDays(1)) > 0 ? Long.MAX_VALUE : timeout.toNanos();
    while (settled.get() < target) {
      if (abandoned || System.nanoTime() - start >= wait) {
        return settled.get() >= target;
      }
      LockSupport.parkNanos(100_000);
    }
    return true;
  }

  /** Events dropped so far: the queue was full, or the listener was closed. */
  public long dropped() {
    return dropped.get();
  }

  /** Events handed to the delegate so far, whether or not it threw. */
  public long delivered() {
    return delivered.get();
  }

  /** Events for which the delegate threw. */
  public long failures() {
    return failures.get();
  }

  /** Events waiting now. */
  public int queued() {
    int n = queue.size();
    return queue.contains(STOP) ? n - 1 : n;
  }

  /**
   * Stops taking events and delivers what is queued, waiting at most the drain timeout; events not
   * delivered by then are counted as dropped. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // If the queue is full the thread is busy and sees `closed` once it has emptied it.
    queue.offer(STOP);
    try {
      thread.join(Math.max(1, drainTimeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      abandoned = true;
      thread.interrupt();
    }
    List<Object> left = new ArrayList<>();
    queue.drainTo(left);
    long lost = left.stream().filter(o -> o != STOP).count();
    if (lost > 0) {
      dropped.addAndGet(lost);
      LOG.log(
          System.Logger.Level.WARNING,
          "audit dispatcher closed with {0} events undelivered after {1}",
          lost,
          drainTimeout);
    }
  }

  private void run() {
    while (!abandoned) {
      Object next;
      try {
        next = closed ? queue.poll() : queue.take();
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        continue; // only close() interrupts this thread
      }
      if (next == null || next == STOP) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      if (abandoned) {
        dropped.incrementAndGet(); // taken just as close() gave up: not delivered
        return;
      }
      deliver((AuditEvent) next);
      if (flushable == null) {
        settled.set(delivered.get());
      }
      if (queue.isEmpty()) {
        if (flushable != null) {
          long handed = delivered.get();
          flush(flushable);
          settled.set(handed);
        }
        if (!closed) {
          linger();
        }
      }
    }
  }

  /**
   * How long the thread rests after the queue runs empty before it waits on the queue again: the
   * events that arrive meanwhile are taken as one batch, without waking the thread for each (a
   * wake-up is a system call on the publishing request's thread, and one more on this one).
   */
  static final long LINGER_NANOS = 1_000_000;

  private void linger() {
    long until = System.nanoTime() + LINGER_NANOS;
    for (long left = LINGER_NANOS; left > 0 && !closed; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left); // an unpark or interrupt from close() ends it early
    }
  }

  /** Flushes the delegate at the end of a batch; a failure is counted like a failed event. */
  private void flush(Flushable delegate) {
    try {
      delegate.flush();
    } catch (IOException | RuntimeException e) {
      failed("failed to flush", e);
    }
  }

  /** Counts a failure of the delegate, reported at the first and then at each power of two. */
  private void failed(String what, Throwable e) {
    long n = failures.incrementAndGet();
    if (Long.bitCount(n) == 1) {
      LOG.log(
          System.Logger.Level.WARNING,
          "audit listener " + delegate + " " + what + " (" + n + " failures so far)",
          e);
    }
  }

  private void deliver(AuditEvent event) {
    try {
      delegate.onEvent(event);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError vm) {
        throw vm;
      }
      failed("failed", e);
    } finally {
      delivered.incrementAndGet();
    }
  }

  @Override
  public String toString() {
    return "AsyncAuditListener[capacity="
        + capacity
        + ", queued="
        + queued()
        + ", dropped="
        + dropped()
        + ", delegate="
        + delegate
        + "]";
  }
}
