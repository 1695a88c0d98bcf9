package dev.authcore.spi;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.Objects;

/**
 * How a store's change feed is doing: whether it hears other nodes' changes now, how often it had
 * to reconnect, and how far behind it may be. A store reports it through {@link
 * TokenStore#feedStatus()}; a deployment shows it in its stats and health.
 *
 * <p>The {@code lag} is an upper bound, not a measured delay: every change committed by another
 * node more than {@code lag} ago has been told to the listeners. A store that tells its listeners
 * synchronously has no lag.
 *
 * @param state whether the feed is connected, disconnected, or not reported at all
 * @param reconnects how many times the feed started hearing changes again after losing its source,
 *     since the store was built (0 for {@link State#NONE})
 * @param lag how long ago the feed last finished catching up ({@link Duration#ZERO} for {@link
 *     State#NONE}); while disconnected it keeps growing
 */
public record FeedStatus(State state, long reconnects, Duration lag) {
  /** Whether the store's changes from other nodes reach the listeners. */
  public enum State {
    /**
     * The store does not report a change feed: it has none (caches then expire on their bound) or
     * it does not say. The default of {@link TokenStore#feedStatus()}.
     */
    NONE,
    /** The feed hears changes now: its last read of its source succeeded. */
    CONNECTED,
    /**
     * The feed does not hear changes now: it has not started (no listener yet), it lost its source
     * and is retrying, or the store was closed. Caches meanwhile rely on their bound.
     */
    DISCONNECTED
  }

  /** The status of a store that reports no change feed. */
  public static final FeedStatus NONE = new FeedStatus(State.NONE, 0, Duration.ZERO);

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code state} or {@code lag} is null
   * @throws IllegalArgumentException if {@code reconnects} or {@code lag} is negative, or the state
   *     is {@link State#NONE} with reconnects or a lag
   */
  public FeedStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lag, "lag");
    checkArgument(reconnects >= 0, "feed reconnects must not be negative, got %s", reconnects);
    checkArgument(!lag.isNegative(), "feed lag must not be negative, got %s", lag);
    checkArgument(
        state != State.NONE || (reconnects == 0 && lag.isZero()),
        "a store that reports no feed (NONE) has no reconnects and no lag, got %s and %s",
        reconnects,
        lag);
  }

  /**
   * A feed that hears changes now.
   *
   * @throws IllegalArgumentException if {@code reconnects} or {@code lag} is negative
   */
  public static FeedStatus connected(long reconnects, Duration lag) {
    return new FeedStatus(State.CONNECTED, reconnects, lag);
  }

  /**
   * A feed that does not hear changes now.
   *
   * @throws IllegalArgumentException if {@code reconnects} or {@code lag} is negative
   */
  public static FeedStatus disconnected(long reconnects, Duration lag) {
    return new FeedStatus(State.DISCONNECTED, reconnects, lag);
  }
}
