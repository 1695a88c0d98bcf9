package dev.authcore;

import dev.authcore.model.TokenId;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.BlockedTally;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * This node's count of the requests that corps' staged allow lists would have refused, per token,
 * until {@link UsageRecorder} writes them to the store with the usage, and the hourly limit on
 * {@link AuditEvent.WouldBeBlocked} events (which the verifier publishes).
 *
 * <p>Only requests that every rule accepted come here (the verifier checks the staged list last),
 * so a request path without a staged list never does. Counting takes no lock; the first refusal of
 * a token under a staging creates its tally, and a new newest address copies the tally's ten.
 *
 * <p>The event limit is one event per token and client address per {@link #EVENT_INTERVAL} on this
 * node. A tally remembers the last event of at most {@link #EVENT_ADDRESSES} addresses; when all of
 * them had an event within the interval, another address's refusals are counted but not published
 * until one of them ages out, so the limit holds however many addresses a token is refused from.
 * Tallies with nothing left to write and no event within the interval are dropped when usage is
 * written, so memory follows the tokens refused in the last hour.
 */
final class StagedReports {
  static final Duration EVENT_INTERVAL = Duration.ofHours(1);
  static final int EVENT_ADDRESSES = 64;
  private static final long INTERVAL_MILLIS = EVENT_INTERVAL.toMillis();

  private final ConcurrentHashMap<TokenId, Tally> tallies = new ConcurrentHashMap<>();

  /**
   * Counts a request of {@code token} from {@code client} that the staged list would refuse.
   *
   * @return whether an {@link AuditEvent.WouldBeBlocked} event is due (the caller publishes it)
   */
  boolean refused(CachedToken token, long stagedSinceMillis, long now, InetAddress client) {
    Tally tally = tallies.get(token.id);
    if (tally == null || tally.sinceMillis != stagedSinceMillis) {
      Tally fresh = new Tally(stagedSinceMillis);
      tally =
          tally == null
              ? firstNonNull(tallies.putIfAbsent(token.id, fresh), fresh)
              : (tallies.replace(token.id, tally, fresh) ? fresh : tallies.get(token.id));
      if (tally == null || tally.sinceMillis != stagedSinceMillis) {
        return false; // lost a race with two changes of staging: the request is not counted
      }
    }
    InetAddress normal = ClientAddresses.normalize(client);
    tally.count(normal);
    return tally.eventDue(normal, now);
  }

  private static Tally firstNonNull(@Nullable Tally a, Tally b) {
    return a != null ? a : b;
  }

  /**
   * Takes every count not yet written, as tallies for the store, and drops tallies with nothing
   * more to write whose events are all older than the interval.
   */
  List<BlockedTally> take(long now) {
    List<BlockedTally> out = new ArrayList<>();
    for (Map.Entry<TokenId, Tally> e : tallies.entrySet()) {
      Tally tally = e.getValue();
      long count = tally.unwritten.getAndSet(0);
      if (count > 0) {
        out.add(
            new BlockedTally(
                e.getKey(), Instant.ofEpochMilli(tally.sinceMillis), count, tally.ipTexts()));
      } else if (tally.quietSince(now)) {
        tallies.remove(e.getKey(), tally);
      }
    }
    return out;
  }

  /** Puts back counts taken by {@link #take} that the store did not accept. */
  void restore(List<BlockedTally> failed) {
    for (BlockedTally t : failed) {
      Tally tally = tallies.get(t.id());
      if (tally != null && tally.sinceMillis == t.since().toEpochMilli()) {
        tally.unwritten.addAndGet(t.count());
      }
    }
  }

  /** Tokens with a tally, for tests. */
  int size() {
    return tallies.size();
  }

  /** One token's requests refused by one staging, on this node. */
  private static final class Tally {
    final long sinceMillis;
    final AtomicLong unwritten = new AtomicLong();

    /** Distinct addresses refused, newest first, at most {@link BlockedTally#MAX_IPS}. */
    final AtomicReference<InetAddress[]> recent = new AtomicReference<>(new InetAddress[0]);

    /** Each address's last event, in epoch milliseconds. */
    final ConcurrentHashMap<InetAddress, Long> lastEvent = new ConcurrentHashMap<>();

    Tally(long sinceMillis) {
      this.sinceMillis = sinceMillis;
    }

    void count(InetAddress client) {
      unwritten.incrementAndGet();
      while (true) {
        InetAddress[] current = Objects.requireNonNull(recent.get());
        if (current.length > 0 && current[0].equals(client)) {
          return; // the common case: the same address again
        }
        List<InetAddress> next = new ArrayList<>(current.length + 1);
        next.add(client);
        for (InetAddress a : current) {
          if (!a.equals(client) && next.size() < BlockedTally.MAX_IPS) {
            next.add(a);
          }
        }
        if (recent.compareAndSet(current, next.toArray(new InetAddress[0]))) {
          return;
        }
      }
    }

    /** Whether an event for {@code client} is due at {@code now}, and if so claims it. */
    boolean eventDue(InetAddress client, long now) {
      while (true) {
        @Nullable Long last = lastEvent.get(client);
        if (last == null) {
          if (lastEvent.size() >= EVENT_ADDRESSES && !forgetOne(now)) {
            return false; // every remembered address had an event within the interval
          }
          if (lastEvent.putIfAbsent(client, now) == null) {
            return true;
          }
        } else if (now - last < INTERVAL_MILLIS && now >= last) {
          return false;
        } else if (lastEvent.replace(client, last, now)) {
          return true;
        }
      }
    }

    /** Forgets one address whose last event is older than the interval, if there is one. */
    private boolean forgetOne(long now) {
      for (Map.Entry<InetAddress, Long> e : lastEvent.entrySet()) {
        long last = e.getValue();
        if (now - last >= INTERVAL_MILLIS || now < last) {
          lastEvent.remove(e.getKey(), e.getValue());
          return true;
        }
      }
      return false;
    }

    boolean quietSince(long now) {
      for (long last : lastEvent.values()) {
        if (now - last < INTERVAL_MILLIS && now >= last) {
          return false;
        }
      }
      return true;
    }

    List<String> ipTexts() {
      InetAddress[] current = Objects.requireNonNull(recent.get());
      List<String> out = new ArrayList<>(current.length);
      for (InetAddress a : current) {
        out.add(ClientAddresses.format(a));
      }
      return out;
    }
  }
}
