package dev.authcore.testkit.gateway;

import dev.authcore.AuthCore;
import dev.authcore.ExpirySweep;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs the deployment's {@linkplain AuthCore#sweepExpiryNotices() expiry-notice sweep} once a
 * minute of the gateway's clock: the system clock, or with {@code --fake-clock} the fake one that
 * {@code POST /api/v0/_clock} moves. The sweep also publishes the ends of permission grants that
 * have passed ({@link dev.authcore.AuditEvent.PermissionExpired}); the grants themselves stop at
 * their end whether or not a sweep runs.
 *
 * <p><b>Following the injected clock.</b> A timer alone would count real minutes, which a fake
 * clock ignores. So a daemon thread wakes every {@value #TICK_MILLIS} ms of real time and asks the
 * gateway's clock what time it is; it sweeps when that reads at or past the next sweep instant,
 * then sets the next one {@link #PERIOD} after what it read. On the system clock that is a sweep
 * each minute (to within a tick); a fake clock that stands still gets no sweep at all, and one
 * moved forward by any amount gets one sweep at the next tick (the {@code _clock} endpoint also
 * sweeps before it answers, so its caller finds the notices in the audit log at once). A clock set
 * back behind the last sweep makes the next tick sweep and start counting from there. The first
 * sweep runs at the first tick after start.
 *
 * <p>A sweep that fails (the store unreachable) is logged and tried again at the next minute. Safe
 * beside other nodes sweeping the same store: the store lets one of them send each notice.
 */
final class NoticeSchedule implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NoticeSchedule.class.getName());

  /** How much of the gateway's clock passes between sweeps. */
  static final Duration PERIOD = Duration.ofMinutes(1);

  /** How often, in real milliseconds, the thread reads the gateway's clock. */
  static final long TICK_MILLIS = 1_000;

  private final AuthCore core;
  private final InstantSource clock;
  private final @Nullable ScheduledExecutorService timer;

  /** The clock's epoch millisecond at or after which the next sweep runs; touched by ticks only. */
  private long nextMillis = Long.MIN_VALUE;

  private NoticeSchedule(
      AuthCore core, InstantSource clock, @Nullable ScheduledExecutorService timer) {
    this.core = core;
    this.clock = clock;
    this.timer = timer;
  }

  /** Starts ticking on a daemon thread of its own. */
  static NoticeSchedule start(AuthCore core, InstantSource clock) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gateway-expiry-notices");
              t.setDaemon(true);
              return t;
            });
    NoticeSchedule schedule = new NoticeSchedule(core, clock, timer);
    // tick never throws, so the schedule's future carries no failure worth keeping
    var unused =
        timer.scheduleWithFixedDelay(schedule::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    return schedule;
  }

  /** For tests: a schedule whose ticks the test calls itself. */
  static NoticeSchedule manual(AuthCore core, InstantSource clock) {
    return new NoticeSchedule(core, clock, null);
  }

  /**
   * One tick: sweeps if the clock reads at or past the next sweep instant, or before the last one
   * (set back). Never throws.
   *
   * @return the sweep it ran, or {@code null} if none was due or it failed
   */
  synchronized @Nullable ExpirySweep tick() {
    long now = clock.millis();
    boolean setBack = nextMillis != Long.MIN_VALUE && now < nextMillis - PERIOD.toMillis();
    if (now < nextMillis && !setBack) {
      return null;
    }
    nextMillis = now + PERIOD.toMillis();
    try {
      return core.sweepExpiryNotices();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "expiry-notice sweep failed; trying again in a minute", e);
      return null;
    }
  }

  /** Stops the thread, waiting up to 5 s for a sweep under way. */
  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
