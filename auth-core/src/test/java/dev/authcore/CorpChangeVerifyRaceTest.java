package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.OLGA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.internal.Emails;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise of {@link TokenConsole}: an owner's change takes effect on this node's verifier when
 * the console call returns, even if a cache load of the corp's old state was in flight meanwhile;
 * and undoing the change brings the token back just as promptly.
 *
 * <p>Each round has two phases, the change and its undo. In each, the cached token and corp state
 * are first made stale (the clock moves by the cache bound), so the next verification reloads both;
 * that load reads the corp's state from the store and is held there. The console change then runs
 * on another thread and is released only once the store holds the new state, so the held load
 * completes with the state from before the change while the change is between store and cache.
 * Hammering threads verify throughout. Every verification that started after the console call
 * returned must give the answer of the new state: the change's rejection reason, or authenticated
 * once undone. The held verification itself started before the change returned, so either answer is
 * allowed for it.
 *
 * <p>A start is "after the return" when the verifying thread saw the flag the changing thread set
 * once the call returned (a volatile write and read: happens-before, no wall clock).
 *
 * <p>The test has teeth: with the corp cache filled by a separate load-then-{@code put} instead of
 * Caffeine's atomic {@code get(key, loader)}, every case fails within the first two rounds; with a
 * store that does not tell listeners and no cache drop by the console's own change, the silent
 * cases fail in the first round.
 */
class CorpChangeVerifyRaceTest {
  /**
   * Restricting with no owner permitted is what these races need; the guard is tested elsewhere.
   */
  private static final ChangeOptions CONFIRMED = ChangeOptions.guarded().withLockoutConfirmed(true);

  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final String CORP = "acme";
  private static final int ROUNDS = 25;
  private static final int HAMMERS = 2;

  /** Which store read of a corp-state load is held. */
  enum Read {
    SETTINGS,
    PERMITTED_USERS
  }

  /** One owner change that stops ANN's token from verifying, and how to undo it. */
  enum Change {
    EXPIRY_SHORTENED(Read.SETTINGS, RejectionReason.EXPIRED) {
      @Override
      void apply(TokenConsole console, boolean on) {
        console.updateSettings(
            OLGA,
            TokenSettings.defaults()
                .withExpiry(on ? ExpiryPolicy.after(Duration.ofDays(1)) : ExpiryPolicy.never()));
      }

      @Override
      boolean committed(TokenStore store, boolean on) {
        return store.settings(CORP).expiry().isNever() != on;
      }
    },
    RESTRICTED_WITHOUT_PERMISSION(Read.SETTINGS, RejectionReason.DISABLED) {
      @Override
      void apply(TokenConsole console, boolean on) {
        // Confirmed: no owner holds the permission, which is what disables ANN's token.
        console.updateSettings(OLGA, TokenSettings.defaults().withRestricted(on), CONFIRMED);
      }

      @Override
      boolean committed(TokenStore store, boolean on) {
        return store.settings(CORP).restricted() == on;
      }
    },
    ALLOW_LIST_EXCLUDES_CLIENT(Read.SETTINGS, RejectionReason.IP_NOT_ALLOWED) {
      @Override
      void apply(TokenConsole console, boolean on) {
        console.updateSettings(
            OLGA,
            TokenSettings.defaults()
                .withAllowedIps(on ? IpAllowList.parse("192.0.2.0/24") : IpAllowList.empty()));
      }

      @Override
      boolean committed(TokenStore store, boolean on) {
        return store.settings(CORP).allowedIps().isEmpty() != on;
      }
    },
    /** In a restricted corp where ANN holds the permission, an owner revokes it. */
    PERMISSION_REVOKED(Read.PERMITTED_USERS, RejectionReason.DISABLED) {
      @Override
      void prepare(TokenConsole console) {
        console.setPermission(OLGA, ANN, true);
        console.updateSettings(OLGA, TokenSettings.defaults().withRestricted(true), CONFIRMED);
      }

      @Override
      void apply(TokenConsole console, boolean on) {
        console.setPermission(OLGA, ANN, !on);
      }

      @Override
      boolean committed(TokenStore store, boolean on) {
        return store.permittedUsers(CORP).contains(Emails.key(ANN)) != on;
      }
    };

    final Read held;
    final RejectionReason reason;

    Change(Read held, RejectionReason reason) {
      this.held = held;
      this.reason = reason;
    }

    /** Sets the corp up so that ANN's token verifies and {@link #apply} can stop it. */
    void prepare(TokenConsole console) {}

    /** Makes the change ({@code on}) or undoes it. */
    abstract void apply(TokenConsole console, boolean on);

    /** Whether the store already holds the state {@link #apply} with {@code on} writes. */
    abstract boolean committed(TokenStore store, boolean on);
  }

  static Stream<Arguments> changes() {
    List<Arguments> out = new ArrayList<>();
    for (Change change : Change.values()) {
      out.add(Arguments.of(change, true));
      out.add(Arguments.of(change, false));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, store tells listeners: {1}")
  @MethodSource("changes")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void change_withCorpLoadInFlight_laterVerificationsSeeIt_andItsUndo(
      Change change, boolean tellListeners) throws Exception {
    GatedStore store = new GatedStore(tellListeners);
    ExecutorService pool = Executors.newFixedThreadPool(2 + HAMMERS);
    try (Deployment d = new Deployment(store, b -> b)) {
      TokenConsole console = TokenConsole.of(d.core);
      change.prepare(console);
      String token = d.issuer().issue(ANN, "ci").revealPlaintext();
      d.clock.advance(Duration.ofDays(2)); // old enough for a one-day expiry policy
      Race race = new Race(d, store, pool, token);
      assertThat(race.verifyNow().isAuthenticated()).as("before any change").isTrue();
      int inFlightOld = 0;
      for (int round = 0; round < ROUNDS; round++) {
        String where = change + " round " + round;
        inFlightOld +=
            race.run(
                where + " change",
                change.held,
                () -> change.apply(console, true),
                () -> change.committed(store.delegate, true),
                change.reason);
        inFlightOld +=
            race.run(
                where + " undo",
                change.held,
                () -> change.apply(console, false),
                () -> change.committed(store.delegate, false),
                null);
      }
      System.out.println(
          "CorpChangeVerifyRaceTest "
              + change
              + " tellListeners="
              + tellListeners
              + ": "
              + ROUNDS
              + " rounds, "
              + race.lateChecks
              + " later verifications checked, held verification answered by the old state in "
              + inFlightOld
              + " of "
              + 2 * ROUNDS);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** One deployment's token, raced against console changes phase after phase. */
  private static final class Race {
    final Deployment d;
    final GatedStore store;
    final ExecutorService pool;
    final String token;
    long lateChecks;

    Race(Deployment d, GatedStore store, ExecutorService pool, String token) {
      this.d = d;
      this.store = store;
      this.pool = pool;
      this.token = token;
    }

    Verification verifyNow() {
      return d.verifier().verify(ANN, token, CLIENT);
    }

    /**
     * Runs one phase: the corp state load held after {@code held}, {@code change} on another
     * thread, the load released once {@code committed}. Then checks that every verification that
     * started after the change returned answered {@code expected} (a reason, or {@code null} for
     * authenticated).
     *
     * @return 1 if the held verification was answered as before the change, else 0
     */
    int run(
        String where,
        Read held,
        Runnable change,
        BooleanSupplier committed,
        @Nullable RejectionReason expected)
        throws Exception {
      d.clock.advance(d.core.cacheBound()); // cached token and corp state are now stale
      Gate gate = store.holdNext(held);
      AtomicBoolean stop = new AtomicBoolean();
      try {
        return race(where, gate, stop, change, committed, expected);
      } finally {
        // On a failed check, let the held load and the hammers end so the pool can stop.
        stop.set(true);
        gate.release();
      }
    }

    private int race(
        String where,
        Gate gate,
        AtomicBoolean stop,
        Runnable change,
        BooleanSupplier committed,
        @Nullable RejectionReason expected)
        throws Exception {
      Future<Verification> inFlight = pool.submit(this::verifyNow);
      assertThat(gate.awaitReached()).as("%s: corp load reached the store", where).isTrue();

      AtomicBoolean changeReturned = new AtomicBoolean();
      AtomicInteger late = new AtomicInteger();
      AtomicReference<@Nullable String> wrong = new AtomicReference<>();
      List<Future<?>> hammers = new ArrayList<>();
      for (int i = 0; i < HAMMERS; i++) {
        hammers.add(
            pool.submit(
                () -> {
                  while (!stop.get()) {
                    boolean startedAfterChange = changeReturned.get();
                    Verification v = verifyNow();
                    if (startedAfterChange) {
                      late.incrementAndGet();
                      if (!answers(v, expected)) {
                        wrong.compareAndSet(null, describe(v));
                      }
                    }
                  }
                  return null;
                }));
      }
      Future<?> changing =
          pool.submit(
              () -> {
                change.run();
                changeReturned.set(true);
                return null;
              });
      // Release the held load only once the store has the new state, so the load brings the
      // state from before the change into the cache while the change is between store and cache.
      Conditions.await(committed, where + ": change reached the store");
      gate.release();
      changing.get(30, TimeUnit.SECONDS);

      Verification after = verifyNow();
      assertThat(answers(after, expected))
          .as("%s: verification started after the change returned gave %s", where, describe(after))
          .isTrue();
      Conditions.await(() -> late.get() >= HAMMERS, where + ": hammers verified after the change");
      stop.set(true);
      for (Future<?> hammer : hammers) {
        hammer.get(30, TimeUnit.SECONDS);
      }
      assertThat(wrong.get())
          .as("%s: a hammering verification started after the change returned", where)
          .isNull();
      lateChecks += late.get();
      Verification first = inFlight.get(30, TimeUnit.SECONDS);
      boolean oldAnswer = !answers(first, expected);
      return oldAnswer ? 1 : 0;
    }

    private static boolean answers(Verification v, @Nullable RejectionReason expected) {
      return expected == null
          ? v.isAuthenticated()
          : v instanceof Verification.Rejected r && r.reason() == expected;
    }

    private static String describe(Verification v) {
      return v instanceof Verification.Rejected r ? "rejected " + r.reason() : "authenticated";
    }
  }

  /** One held read: it has read the store and waits for {@link #release()}. */
  static final class Gate {
    final Read read;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    Gate(Read read) {
      this.read = read;
    }

    boolean awaitReached() throws InterruptedException {
      return reached.await(30, TimeUnit.SECONDS);
    }

    void release() {
      released.countDown();
    }

    void pass() {
      reached.countDown();
      try {
        if (!released.await(30, TimeUnit.SECONDS)) {
          throw new StoreUnavailableException("test gate was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while held", e);
      }
    }
  }

  /**
   * An in-memory store whose next read of a corp's settings or permitted users can be held after it
   * has read, and which tells listeners of changes or not.
   */
  static final class GatedStore extends ForwardingTokenStore {
    final InMemoryTokenStore delegate;
    private final AtomicReference<@Nullable Gate> gate = new AtomicReference<>();
    private final boolean tellListeners;

    GatedStore(boolean tellListeners) {
      this(new InMemoryTokenStore(), tellListeners);
    }

    private GatedStore(InMemoryTokenStore delegate, boolean tellListeners) {
      super(delegate);
      this.delegate = delegate;
      this.tellListeners = tellListeners;
    }

    /** The next read of this kind reads the store, then waits until released. */
    Gate holdNext(Read read) {
      Gate g = new Gate(read);
      gate.set(g);
      return g;
    }

    private void maybeHold(Read read) {
      Gate g = gate.get();
      if (g != null && g.read == read && gate.compareAndSet(g, null)) {
        g.pass();
      }
    }

    @Override
    public TokenSettings settings(String corp) {
      TokenSettings read = super.settings(corp);
      maybeHold(Read.SETTINGS);
      return read;
    }

    @Override
    public List<PermissionGrant> permissionGrants(String corp) {
      List<PermissionGrant> read = super.permissionGrants(corp);
      maybeHold(Read.PERMITTED_USERS);
      return read;
    }

    @Override
    public ListenerRegistration addListener(StoreListener listener) {
      return tellListeners ? super.addListener(listener) : () -> {};
    }
  }
}
