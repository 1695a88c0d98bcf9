package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import dev.authcore.internal.wiring.Actors;
import dev.authcore.internal.wiring.ConsoleAccess;
import dev.authcore.internal.wiring.ConsoleParts;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UserDirectory;
import dev.authcore.store.InMemoryTokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One deployment of auth-core: a token format, a store, a user directory, caches and audit
 * listeners, shared by the {@link #issuer()}, the {@link #verifier()} and the console ({@code
 * TokenConsole.of(core)}) so that a change made through one is seen by the others at once.
 *
 * <pre>{@code
 * AuthCore core = AuthCore.builder()
 *     .tokenPrefix("acme")
 *     .users(directory)               // who the users are
 *     .store(store)                   // default: in memory
 *     .auditListener(siem::send)
 *     .build();
 * IssuedToken token = core.issuer().issue("ann@example.com", "ci");
 * Verification v = core.verifier().verify("ann@example.com", token.revealPlaintext(), client);
 * }</pre>
 *
 * <p><b>What it is.</b> An assembler: it builds the parts (the token cache, the audit publisher,
 * the usage recorder, the issuer and the verifier), hands each the collaborators it uses,
 * subscribes the cache to the store's changes, and closes what it started. It does no work of its
 * own on any request, and offers no way around the parts: the store, the directory and the audit
 * stream are reached only through operations that keep every rule (the issuer's limit and name
 * rules, the console's owner checks, events published by the library only).
 *
 * <p>Build one per deployment and share it: it is thread-safe. It owns one daemon thread that
 * writes token usage to the store periodically, {@value #REFRESH_THREADS} daemon threads that
 * refresh cached entries in use before their cache bound, and one subscription to the store's
 * changes; {@link #close()} ends them.
 *
 * <p><b>When the store is slow or down.</b> A request whose token and corp settings are cached
 * never waits for the store: usage is written by the background writer, and entries in use are
 * refreshed in the background before they reach the cache bound. Reads on request threads (misses)
 * are limited to {@link Builder#maxConcurrentLoads} at once; more fail at once with {@link
 * StoreUnavailableException}. While the store cannot be reached, cached entries keep being served
 * for the {@link Builder#outageGrace outage grace}; the deployment publishes {@link
 * AuditEvent.OutageStarted} and {@link AuditEvent.OutageEnded} as it enters and leaves that mode.
 *
 * <p><b>Operating it.</b> {@link #stats()} gives the counters a metrics system scrapes
 * (verifications by outcome, cache hits and loads, store failures, the usage writer, the store's
 * change feed); {@link #health()} gives what a health endpoint serves ({@code UP}, {@code DEGRADED}
 * or {@code DOWN}, with the problems in words). Neither calls the store.
 */
public final class AuthCore implements AutoCloseable {
  static {
    // The console (another package) reaches a deployment's parts only through this lookup, which
    // no code outside the module can call: see ConsoleAccess.
    ConsoleAccess.install(core -> ((AuthCore) core).consoleParts);
  }

  /**
   * Threads refreshing cache entries: few, since each may wait for a store that does not answer.
   */
  static final int REFRESH_THREADS = 2;

  private static final System.Logger LOG = System.getLogger(AuthCore.class.getName());

  /** The token format, for tests of this package that mint tokens. */
  final TokenFormat format;

  private final TokenIssuer issuer;
  private final TokenVerifier verifier;
  private final UsageRecorder usage;
  private final ExpiryNotices notices;
  private final TokenCache cache;
  private final Monitor monitor;
  private final ConsoleParts consoleParts;
  private final ListenerRegistration storeSubscription;
  private final @Nullable ScheduledExecutorService flusher;
  private final @Nullable ExecutorService ownRefresher;
  private final Duration cacheBound;
  private volatile boolean closed;

  private AuthCore(Builder b, UserDirectory users) {
    InstantSource clock = b.clock;
    Counters counters = new Counters();
    SecureRandom random = new SecureRandom();
    SecretHasher hasher = new SecretHasher(b.hashing);
    Actors actors = new Actors(users);
    AuditPublisher audit = new AuditPublisher(b.listeners, clock);
    StoreOutage outage = new StoreOutage(clock, audit, b.outageGrace);
    // Every part calls the store through this, so stats and health see every call's outcome.
    MonitoredStore store =
        new MonitoredStore(
            b.store != null ? b.store : new InMemoryTokenStore(), clock, counters, outage);
    Executor refresher;
    if (b.refreshExecutor != null) {
      refresher = b.refreshExecutor;
      this.ownRefresher = null;
    } else {
      this.ownRefresher = startRefresher();
      refresher = ownRefresher;
    }
    this.cache =
        new TokenCache(
            store,
            users,
            clock,
            hasher,
            new TokenCache.Limits(
                b.cacheBound.toMillis(),
                b.unknownIdBound.toMillis(),
                b.maxCachedTokens,
                b.maxCachedUnknownIds,
                b.maxCachedCorps,
                b.outageGrace.toMillis(),
                b.maxConcurrentLoads),
            refresher,
            outage,
            counters);
    this.format = new TokenFormat(b.prefix);
    this.cacheBound = b.cacheBound;
    this.usage =
        new UsageRecorder(
            store, UsageRecorder.capacityFor(b.maxCachedTokens), clock, outage, cache::probe);
    SecretCheck secrets = new SecretCheck(format);
    this.issuer =
        new TokenIssuer(
            actors,
            store,
            format,
            hasher,
            random,
            clock,
            b.maxTokensPerUser,
            cache,
            secrets,
            audit);
    this.verifier = new TokenVerifier(format, clock, cache, secrets, usage, audit, counters);
    this.monitor = new Monitor(clock, counters, store, outage, usage);
    this.notices = new ExpiryNotices(store, clock, audit, b.maxCachedTokens);
    this.consoleParts = new ConsoleParts(store, actors, clock, cache, audit);
    this.storeSubscription =
        Objects.requireNonNull(
            store.addListener(cache), "the store's addListener returned no registration");
    this.flusher = b.usageFlushInterval.isZero() ? null : startFlusher(b.usageFlushInterval);
  }

  /**
   * {@value #REFRESH_THREADS} daemon threads and an unbounded queue: the cache keeps at most
   * {@value TokenCache#MAX_PENDING_REFRESHES} refreshes pending, so a hung store cannot pile up
   * threads or tasks.
   */
  private static ExecutorService startRefresher() {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newFixedThreadPool(
        REFRESH_THREADS,
        r -> {
          Thread t = new Thread(r, "auth-core-cache-refresh-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private ScheduledExecutorService startFlusher(Duration interval) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "auth-core-usage-flush");
              t.setDaemon(true);
              return t;
            });
    long period = interval.toMillis();
    // periodicFlush never throws, so the schedule's future carries no failure worth keeping.
    var unused =
        executor.scheduleWithFixedDelay(this::periodicFlush, period, period, TimeUnit.MILLISECONDS);
    return executor;
  }

  /**
   * The periodic writer's work: in outage mode it first asks the cache to probe the store, so the
   * outage's end is found even while no request comes; then it writes the usage queued. Never
   * throws, which would end the schedule.
   */
  private void periodicFlush() {
    try {
      cache.probe();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "starting a probe of the store failed", e);
    }
    usage.flushQuietly();
  }

  /** Starts configuring a deployment. */
  public static Builder builder() {
    return new Builder();
  }

  /** Creates and deletes tokens. */
  public TokenIssuer issuer() {
    return issuer;
  }

  /** Checks requests. */
  public TokenVerifier verifier() {
    return verifier;
  }

  /** How stale a change made on another node sharing the store can be here (the cache bound). */
  public Duration cacheBound() {
    return cacheBound;
  }

  /**
   * Writes the token usage recorded so far to the store now, instead of at the next period: when it
   * returns, every successful verification that returned before the call has its use written (last
   * use and address), so a listing made next shows it.
   *
   * <p>It never queues up behind other callers. Concurrent calls share one write of the queue (or
   * two: the one under way when they arrive, if it has already taken the queue, and one after it
   * for all of them); if the write under way fails, the callers waiting for it fail with it instead
   * of each trying again. A call waits for a write another caller runs at most 10 seconds. In
   * outage mode (a store read failed and no store call has answered since) it does not call the
   * store: it throws at once if any use waits to be written, and lets the periodic writer, or the
   * cache's background probe it starts, find that the store answers again.
   *
   * @throws StoreUnavailableException if the deployment is in outage mode with usage to write, if
   *     the store failed the write, or if a write under way did not end within 10 seconds; the
   *     usage stays queued
   */
  public void flushUsage() {
    usage.flush();
  }

  /**
   * Sends the expiry notices due now: walks every token of the store and, for each one whose
   * effective expiry is near or past, publishes {@link AuditEvent.TokenExpiringSoon} (7 days and 1
   * day before it) or {@link AuditEvent.TokenExpired} (once it has passed), each once per token,
   * ever. The deployment does not schedule it: run it on your own schedule (every minute is plenty;
   * the reference gateway does so, following its clock), on one node or on all of them.
   *
   * <p><b>Which notice.</b> The effective expiry is the one the owner's table shows: the earlier of
   * the token's own expiry and its creation plus the corp's maximum age, under the settings in
   * force at the sweep (a policy change applies at the next sweep, retroactively). Of the notices
   * due at the sweep's instant (7 days before, 1 day before, at expiry; see {@link
   * dev.authcore.policy.ExpiryNotice}), only the most advanced is sent, and only if neither it nor
   * a later one was sent before: a policy change that makes a token expire in 3 days sends the
   * 7-day notice at once (and the 1-day notice two days later), not a burst of every threshold
   * passed; a token found past its expiry gets {@code TokenExpired} alone, and no expiring-soon
   * notice ever follows it (not even if a later policy change brings the token back). Tokens that
   * never expire get nothing; so do tokens disabled by an owner (restricted corp, owner without the
   * permission), for as long as they are disabled: a token enabled again gets the latest notice due
   * then. A deleted token gets nothing more, and its records go with it.
   *
   * <p><b>Once, across restarts and nodes.</b> Before publishing a notice the sweep records it in
   * the store ({@link TokenStore#recordNotice}, a conditional insert): only the caller whose record
   * wins publishes, so a restarted deployment, or several nodes sweeping one database at once,
   * never repeat a notice. A notice is recorded before it is published, so a process that dies
   * between the two loses that notice (at most once, never twice).
   *
   * <p><b>Ended permission grants.</b> The same sweep then publishes {@link
   * AuditEvent.PermissionExpired} for each grant of the token permission whose end has passed and
   * that the store lets it claim ({@link TokenStore#claimEndedGrants}, a conditional update): each
   * end once, however many nodes sweep. Only the event waits for a sweep; the permission itself
   * ends at its end instant on every check, swept or not.
   *
   * <p><b>Cost.</b> Pages through the store, {@value ExpiryNotices#CORP_PAGE} corps and {@value
   * ExpiryNotices#TOKEN_PAGE} tokens per call, reading each corp's settings once: its memory does
   * not grow with the store. Each notice due costs one store write, the first time this deployment
   * sees it due; it never touches the verifier or its caches. Sweeps on one deployment run one at a
   * time (a second call waits for the first to end, then sweeps itself).
   *
   * @return what the sweep did
   * @throws StoreUnavailableException if the store failed; the notices sent before the failure stay
   *     sent (and recorded), and the next sweep sends the rest
   */
  public ExpirySweep sweepExpiryNotices() {
    return notices.sweep();
  }

  /**
   * The deployment's counters now, since it was built: verifications by outcome, the token and corp
   * caches' hits, misses and loads, store failures, the usage writer, the store's change feed.
   * Cheap (it sums a few dozen counters) and never calls the store; see {@link AuthStats} for what
   * each figure counts and which are derived. Take deltas with {@link AuthStats#minus}.
   */
  public AuthStats stats() {
    return monitor.stats();
  }

  /**
   * Whether the deployment works as configured, for a health endpoint: {@code UP}, {@code DEGRADED}
   * or {@code DOWN} by the rules on {@link AuthHealth}, the problems in words, and the facts behind
   * them. Reads only what the deployment already knows, so it answers at once even while the store
   * hangs; never calls the store.
   */
  public AuthHealth health() {
    return monitor.health(closed);
  }

  /**
   * Stops the periodic usage writer after writing what is queued, stops the cache's background
   * refreshes, and ends this deployment's subscription to the store's changes (closes the
   * registration {@link TokenStore#addListener} returned), so a store that outlives this object no
   * longer holds on to it. Idempotent.
   *
   * <p>It does not close the store or the user directory: they are the caller's, may be shared (two
   * deployments on one database), and often outlive this object; close them after it. A deployment
   * should not be used after it is closed: its caches no longer hear of other nodes' changes.
   */
  @Override
  public void close() {
    closed = true;
    try {
      if (flusher != null) {
        flusher.shutdown();
        try {
          flusher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      usage.flushQuietly();
    } finally {
      try {
        if (ownRefresher != null) {
          ownRefresher.shutdownNow(); // a refresh in flight is abandoned: the cache is going away
        }
      } finally {
        storeSubscription.close();
      }
    }
  }

  /**
   * Configures an {@link AuthCore}. Setters validate at once and throw {@link
   * IllegalArgumentException} saying what is wrong; {@link #build()} checks that the required parts
   * are there. Not thread-safe; build once.
   */
  public static final class Builder {
    private static final Duration DEFAULT_OUTAGE_GRACE = Duration.ofMinutes(5);
    private static final Duration MAX_OUTAGE_GRACE = Duration.ofDays(1);
    private static final int DEFAULT_MAX_CONCURRENT_LOADS = 16;
    private static final int MAX_CONCURRENT_LOADS = 10_000;

    private String prefix = "tok";
    private @Nullable TokenStore store;
    private @Nullable UserDirectory users;
    private InstantSource clock = InstantSource.system();
    private SecretHashing hashing = SecretHashing.sha256();
    private int maxTokensPerUser = 5;
    private Duration cacheBound = Duration.ofSeconds(30);
    private Duration unknownIdBound = Duration.ofSeconds(5);
    private long maxCachedTokens = 100_000;
    private long maxCachedUnknownIds = 100_000;
    private long maxCachedCorps = 100_000;
    private Duration usageFlushInterval = Duration.ofSeconds(10);
    private Duration outageGrace = DEFAULT_OUTAGE_GRACE;
    private int maxConcurrentLoads = DEFAULT_MAX_CONCURRENT_LOADS;
    private @Nullable Executor refreshExecutor;
    private final List<AuditListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * The deployment's token prefix, so leaked tokens are recognisable: 1 to 16 lower-case letters
     * and digits starting with a letter. Default {@code tok}.
     */
    public Builder tokenPrefix(String prefix) {
      TokenFormat.checkPrefix(prefix);
      this.prefix = prefix;
      return this;
    }

    /**
     * Where tokens live. Default, when this is never called: a new {@link InMemoryTokenStore} of
     * this deployment's own.
     *
     * @throws NullPointerException if {@code store} is null (a null is never taken for "the
     *     default": a store that failed to open must not silently become an empty in-memory one)
     */
    public Builder store(TokenStore store) {
      this.store =
          Objects.requireNonNull(
              store, "store is null: pass a TokenStore, or leave store(...) out for in-memory");
      return this;
    }

    /**
     * Who the users are. Required.
     *
     * @throws NullPointerException if {@code users} is null
     */
    public Builder users(UserDirectory users) {
      this.users = Objects.requireNonNull(users, "users");
      return this;
    }

    /**
     * The clock for creation instants, expiry, last use and the cache bounds. Default: the system
     * clock.
     *
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How secrets are hashed. Default: {@link SecretHashing#sha256()}.
     *
     * @throws NullPointerException if {@code hashing} is null
     */
    public Builder hashing(SecretHashing hashing) {
      this.hashing = Objects.requireNonNull(hashing, "hashing");
      return this;
    }

    /** Most tokens one user may hold at once, 1 to 100. Default 5. */
    public Builder maxTokensPerUser(int max) {
      checkArgument(max >= 1 && max <= 100, "max tokens per user must be 1 to 100, got %s", max);
      this.maxTokensPerUser = max;
      return this;
    }

    /**
     * How long token records and corp settings are cached: the bound on how stale another node's
     * change can be here. 1 second to 1 hour. Default 30 seconds. Measured on the deployment's
     * {@linkplain #clock clock}; an entry that seems loaded in the future (the clock was set back)
     * is read again.
     */
    public Builder cacheBound(Duration bound) {
      checkArgument(
          bound.compareTo(Duration.ofSeconds(1)) >= 0 && bound.compareTo(Duration.ofHours(1)) <= 0,
          "cache bound must be 1 second to 1 hour, got %s",
          bound);
      this.cacheBound = bound;
      return this;
    }

    /**
     * How long an unknown token id is remembered, so floods of random tokens do not reach the
     * store: 100 ms to 1 minute. Default 5 seconds. Measured on the deployment's {@linkplain #clock
     * clock}.
     */
    public Builder unknownIdBound(Duration bound) {
      checkArgument(
          bound.compareTo(Duration.ofMillis(100)) >= 0
              && bound.compareTo(Duration.ofMinutes(1)) <= 0,
          "unknown id bound must be 100 ms to 1 minute, got %s",
          bound);
      this.unknownIdBound = bound;
      return this;
    }

    /**
     * Most token records cached, at least 1. Default 100,000. A token evicted for room is read from
     * the store again on its next use; size it above the number of tokens in use within a cache
     * bound.
     */
    public Builder maxCachedTokens(long max) {
      checkArgument(max >= 1, "max cached tokens must be at least 1, got %s", max);
      this.maxCachedTokens = max;
      return this;
    }

    /**
     * Most unknown token ids remembered (for the {@linkplain #unknownIdBound unknown id bound}), at
     * least 1. Default 100,000, about 17 MB at most. A flood of random ids larger than this within
     * the bound reaches the store for the ids that did not fit; the answer stays {@code UNKNOWN}.
     *
     * <p>Unknown ids are kept in one cache with the token records, so that an id is found by the
     * same lookup whether it exists or not, and costs the same. That cache holds at most {@code
     * maxCachedTokens + maxCachedUnknownIds} entries, and unknown ids never more than {@code
     * maxCachedUnknownIds} of them, the oldest forgotten first: a flood of random ids turns over
     * its own share and cannot push out the tokens in use. Tokens may use the room unknown ids
     * leave free.
     *
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public Builder maxCachedUnknownIds(long max) {
      checkArgument(max >= 1, "max cached unknown ids must be at least 1, got %s", max);
      this.maxCachedUnknownIds = max;
      return this;
    }

    /**
     * Most corps whose settings and permitted users are cached, at least 1. Default 100,000. A corp
     * evicted for room is read from the store again (settings and permissions, two reads) on its
     * next verification; an entry's size grows with its allow list and permitted users.
     *
     * @throws IllegalArgumentException if {@code max} is below 1
     */
    public Builder maxCachedCorps(long max) {
      checkArgument(max >= 1, "max cached corps must be at least 1, got %s", max);
      this.maxCachedCorps = max;
      return this;
    }

    /**
     * How often recorded usage is written to the store: 100 ms to 1 hour, or zero for never (call
     * {@link AuthCore#flushUsage()} yourself). Default 10 seconds.
     *
     * <p>Usage waits in a queue of at most {@code max(maxCachedTokens, 10,000)} tokens (each token
     * at most once). When it is full, because the store is slow or down, a token's use is not
     * queued: the request never waits, the use is counted and logged as dropped at the next write,
     * and the token's latest use is queued again with its next use.
     */
    public Builder usageFlushInterval(Duration interval) {
      checkArgument(
          interval.isZero()
              || (interval.compareTo(Duration.ofMillis(100)) >= 0
                  && interval.compareTo(Duration.ofHours(1)) <= 0),
          "usage flush interval must be zero or 100 ms to 1 hour, got %s",
          interval);
      this.usageFlushInterval = interval;
      return this;
    }

    /**
     * How long past the {@linkplain #cacheBound cache bound} cached token records and corp settings
     * keep being served while the store cannot be reached: zero (disabled) or 1 second to 1 day.
     * Default 5 minutes.
     *
     * <p><b>What it does.</b> When a read of the store fails with {@link
     * StoreUnavailableException}, the deployment enters outage mode (and publishes {@link
     * AuditEvent.OutageStarted}). Meanwhile an entry older than the cache bound is served as it is,
     * without a store read on the request's thread, until it is as old as the cache bound plus the
     * grace; after that the token fails closed ({@link StoreUnavailableException}, HTTP 503), as
     * does anything not cached. The first store call that succeeds (a read, which the cache tries
     * in the background once a second while requests come and the periodic usage writer asks for, a
     * usage write, an issuer or console call) ends outage mode ({@link AuditEvent.OutageEnded});
     * entries are then read again at their bound as usual. Entries in use are refreshed before
     * their bound, so a busy token survives an outage for at least the grace plus a quarter of the
     * cache bound, and at most the grace plus the bound. With a store whose own timeout is shorter
     * than a quarter of the bound (the PostgreSQL store's 3 s against 7.5 s by default), a
     * background refresh meets the outage before a busy entry reaches its bound, and no request
     * waits for the store; otherwise the first request past the bound waits once for the store's
     * timeout.
     *
     * <p><b>Why serving the cache stays correct.</b> While the store cannot be reached, no
     * deletion, setting or permission change can be committed, on this node or any other: every
     * change goes through the store. So the cache holds the state as of the last read, and a change
     * committed just before the outage that this node had not yet heard of is the same staleness
     * the cache bound already allows; the grace lengthens that window to bound plus grace, only
     * during an outage. What does not stand still is time: expiry (of the token, of the corp's
     * policy, of inactivity) is computed from the clock at each verification, so a token that
     * expires during the outage is refused {@code EXPIRED} on time, and allow lists and
     * restrictions apply as cached.
     *
     * <p><b>Why 5 minutes.</b> It rides out what commonly makes a database unreachable for a short
     * while (a managed database's failover, usually one to two minutes; a restart; a brief network
     * partition) without turning a long outage into a long window in which a change made just
     * before it goes unseen. An operator who prefers to fail closed sets {@link Duration#ZERO}:
     * nothing is then served past the cache bound.
     *
     * @throws IllegalArgumentException if {@code grace} is negative, below 1 second but not zero,
     *     or above 1 day
     * @throws NullPointerException if {@code grace} is null
     */
    public Builder outageGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      checkArgument(
          grace.isZero()
              || (grace.compareTo(Duration.ofSeconds(1)) >= 0
                  && grace.compareTo(MAX_OUTAGE_GRACE) <= 0),
          "outage grace must be zero (disabled) or 1 second to 1 day, got %s",
          grace);
      this.outageGrace = grace;
      return this;
    }

    /**
     * Most store reads the cache makes at once on the threads that call the verifier (token or corp
     * settings not cached, or past their bound): 1 to 10,000. Default 16. A read beyond it is not
     * attempted: the verification fails at once with {@link StoreUnavailableException} (HTTP 503).
     *
     * <p>A store that stops answering holds each reading thread until the store's own timeout; this
     * bound keeps such threads few, so the others keep serving cached tokens at full speed. Set it
     * well below the number of threads that serve requests. 16 is about twice a common connection
     * pool (more reads than the pool's connections only wait for one), and, at the millisecond a
     * healthy store takes per read, allows thousands of misses a second; a burst of more than 16
     * cold misses at one instant on a healthy store can see a few fail fast.
     *
     * @throws IllegalArgumentException if {@code max} is below 1 or above 10,000
     */
    public Builder maxConcurrentLoads(int max) {
      checkArgument(
          max >= 1 && max <= MAX_CONCURRENT_LOADS,
          "max concurrent loads must be 1 to 10,000, got %s",
          max);
      this.maxConcurrentLoads = max;
      return this;
    }

    /** For tests: runs the cache's background refreshes here instead of on the deployment's own. */
    Builder refreshExecutor(Executor executor) {
      this.refreshExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Adds a listener for audit events; listeners are called in the order they were added.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder auditListener(AuditListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the deployment.
     *
     * @throws IllegalStateException if no user directory was given
     */
    public AuthCore build() {
      checkState(users != null, "a user directory is required: call users(...)");
      return new AuthCore(this, users);
    }
  }
}
