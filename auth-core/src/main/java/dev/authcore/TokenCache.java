package dev.authcore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.google.common.math.LongMath;
import dev.authcore.internal.wiring.CorpStates;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UserDirectory;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of a deployment's cached state: token records, ids the store did not have, and
 * corps' settings and permissions. It loads them from the store on a miss, serves them within the
 * cache bound, and forgets them when told: by the issuer after a delete, a rotation or an insert,
 * by the console after a settings or permission change, and by the store (as its {@link
 * StoreListener}) when another node changed something.
 *
 * <p><b>One cache for known and unknown ids.</b> An id the store did not have is cached as a {@link
 * MissingToken} in the same cache as the tokens, for the unknown-id bound, so a verification finds
 * either by the same lookup and checks its secret by the same steps: timing does not tell which ids
 * exist. Missing ids never hold more than {@code maxUnknownIds} of the cache's entries, the oldest
 * forgotten first, so a flood of random ids turns over its own share of the room and cannot push
 * out the tokens in use.
 *
 * <p>The caches are bounded in size only. Each entry carries the clock reading it was loaded at,
 * and the request path, which reads the clock once anyway, treats an entry older than the bound as
 * absent. Caffeine's own expiry would read {@code System.nanoTime} in each cache on every hit (a
 * clock read costs about as much as a quarter of the hash on virtual machines), and it would follow
 * the wall clock rather than the injected one.
 *
 * <p><b>Refresh ahead.</b> An entry used once it is {@linkplain #refreshAfterMillis three quarters
 * of the bound} old is read again in the background, on the executor the deployment gives, while
 * the hit is served from the entry as it is; the fresh entry replaces it only if the entry is still
 * the one cached (a change forgotten meanwhile is not put back), and a token the store no longer
 * has is dropped. A token in use therefore never reaches its bound and never costs a request a
 * store read. At most {@value #MAX_PENDING_REFRESHES} refreshes wait or run at once; beyond that an
 * entry simply ages to its bound and is read on its next use, as without refresh.
 *
 * <p><b>Loads on the request path are bounded.</b> A miss, or an entry past its bound, is read by
 * the request's thread, but only while fewer than {@code maxConcurrentLoads} such reads are under
 * way; a further one fails at once with {@link StoreUnavailableException} instead of waiting behind
 * a store that does not answer. Hits never wait for a load.
 *
 * <p><b>Outage mode.</b> A store read that fails with {@link StoreUnavailableException} puts the
 * deployment in outage mode ({@link StoreOutage}) until a store call succeeds. Meanwhile an entry
 * past its bound is served for up to the outage grace beyond it, without a store read on the
 * request path; one background read at a time, at most once per {@value
 * #OUTAGE_PROBE_INTERVAL_MILLIS} ms of the clock, probes whether the store is back (started by a
 * request using an entry, or by {@link #probe()}). Outside outage mode the bound is strict: an
 * entry past it is read again on the request's thread, even while its background refresh is still
 * under way (a store slower than a quarter of the bound but answering). Once past bound plus grace,
 * an entry is read again, and fails closed while the store stays unreachable.
 *
 * <p><b>Counts.</b> Misses, loads (with their time) and refused loads are counted in {@link
 * Counters}, on the slow path only; a hit counts nothing here (see {@link AuthStats}).
 *
 * <p><b>Loads hold no lock while they read.</b> A load registers itself as the key's load in
 * flight, reads the store with no lock held, then installs what it read in a short atomic step, and
 * only if it is still the key's load in flight. Forgetting a key first unregisters its load in
 * flight, then drops the entry: so a load that read the store before a change cannot put the old
 * state back, and a lookup that starts after the forget never joins that load. A lookup that finds
 * a load of its key in flight waits for it instead of reading the store again (one read for a burst
 * of misses on one key). Nothing else waits for a load: misses on other keys read the store side by
 * side, whatever their hash codes, and a forget (from the change feed, say) never waits for the
 * store.
 *
 * <p>Thread-safe. Lookups take no lock on a hit.
 */
final class TokenCache implements StoreListener, CorpStates {
  private static final System.Logger LOG = System.getLogger(TokenCache.class.getName());

  /** Most background refreshes queued or running at once. */
  static final int MAX_PENDING_REFRESHES = 1024;

  /** During an outage, the least time between two background probes of the store. */
  static final long OUTAGE_PROBE_INTERVAL_MILLIS = 1000;

  private final TokenStore store;
  private final UserDirectory users;
  private final InstantSource clock;
  private final SecretHasher hasher;

  /** Tokens and the ids the store did not have, in one cache: see {@link #cachedToken}. */
  private final Cache<TokenId, TokenEntry> tokens;

  private final Policy<TokenId, TokenEntry> tokensPolicy;
  private final long cacheBoundMillis;

  /** Age from which a used entry is refreshed in the background: three quarters of the bound. */
  private final long refreshAfterMillis;

  /** Age up to which an entry may be served in outage mode: the bound plus the outage grace. */
  private final long outageLimitMillis;

  private final long unknownIdBoundMillis;

  /**
   * The missing ids cached, oldest first, with their number: at most {@code maxUnknownIds}, so that
   * ids each seen once cannot take the room of tokens in use. An entry replaced or dropped
   * meanwhile stays queued until its turn, so the bound is never exceeded, only sometimes
   * undershot.
   */
  private final ConcurrentLinkedQueue<MissingToken> missingOldestFirst =
      new ConcurrentLinkedQueue<>();

  private final AtomicLong missingQueued = new AtomicLong();
  private final long maxUnknownIds;

  /** The hash of every missing id: random, so no secret matches it. */
  private final byte[] decoyHash = new byte[32];

  private final Cache<String, CorpState> corps;
  private final Policy<String, CorpState> corpsPolicy;

  /**
   * Token loads in flight, by id: the one a lookup of that id waits for, and the one whose result
   * may be installed (see the class comment).
   */
  private final ConcurrentHashMap<TokenId, CompletableFuture<TokenEntry>> tokenLoads =
      new ConcurrentHashMap<>();

  /** Corp loads in flight, by corp, as {@link #tokenLoads}. */
  private final ConcurrentHashMap<String, CompletableFuture<CorpState>> corpLoads =
      new ConcurrentHashMap<>();

  /** Permits for reads on request threads: the bulkhead. */
  private final Semaphore loads;

  private final int maxConcurrentLoads;
  private final Executor refresher;
  private final StoreOutage outage;

  /** Misses, loads and refused loads, for {@link AuthStats}; hits are derived, never counted. */
  private final Counters counters;

  /** Background refreshes queued or running. */
  private final AtomicInteger pendingRefreshes = new AtomicInteger();

  /** When the last background probe started during an outage, by the deployment's clock. */
  private final AtomicLong lastProbeMillis = new AtomicLong(Long.MIN_VALUE);

  /** The sizes and bounds of the three caches, as the builder validated them. */
  record Limits(
      long cacheBoundMillis,
      long unknownIdBoundMillis,
      long maxTokens,
      long maxUnknownIds,
      long maxCorps,
      long outageGraceMillis,
      int maxConcurrentLoads) {}

  /**
   * @param refresher runs background refreshes; it should have few threads, since each may wait for
   *     the store's timeout (the cache itself keeps at most {@value #MAX_PENDING_REFRESHES}
   *     refreshes pending)
   */
  TokenCache(
      TokenStore store,
      UserDirectory users,
      InstantSource clock,
      SecretHasher hasher,
      Limits limits,
      Executor refresher,
      StoreOutage outage,
      Counters counters) {
    this.store = store;
    this.users = users;
    this.clock = clock;
    this.hasher = hasher;
    this.cacheBoundMillis = limits.cacheBoundMillis();
    this.refreshAfterMillis = cacheBoundMillis - cacheBoundMillis / 4;
    this.outageLimitMillis = cacheBoundMillis + limits.outageGraceMillis();
    this.maxConcurrentLoads = limits.maxConcurrentLoads();
    this.loads = new Semaphore(maxConcurrentLoads);
    this.refresher = refresher;
    this.outage = outage;
    this.counters = counters;
    this.unknownIdBoundMillis = limits.unknownIdBoundMillis();
    this.maxUnknownIds = limits.maxUnknownIds();
    // Maintenance (draining the read and write buffers, evicting) runs on the calling thread, a
    // little at a time, instead of being handed to the common ForkJoinPool: each hand-off woke a
    // pool thread from the request path (one verification in 16 records its read), and that
    // wake-up cost a single thread about a quarter of its throughput (ScaleBenchmark).
    // Missing ids share the tokens' cache; they never hold more than their own share of its room
    // (see rememberMissing), so tokens always have theirs.
    this.tokens =
        Caffeine.newBuilder()
            .maximumSize(LongMath.saturatedAdd(limits.maxTokens(), limits.maxUnknownIds()))
            .executor(Runnable::run)
            .build();
    this.tokensPolicy = tokens.policy();
    new SecureRandom().nextBytes(decoyHash);
    this.corps =
        Caffeine.newBuilder().maximumSize(limits.maxCorps()).executor(Runnable::run).build();
    this.corpsPolicy = corps.policy();
  }

  /**
   * The token cache's entry for {@code id}: the token, a {@link MissingToken} if the store did not
   * have it within the unknown-id bound, or {@code null} if neither is cached. The lookup of a
   * verification, made before the secret is hashed: a known id and an unknown one seen before both
   * find an entry, in the same cache, and take the same steps, so timing does not tell them apart.
   * A token older than the cache bound at {@code now} (or, in outage mode, older than the bound
   * plus the outage grace), or a missing id older than the unknown-id bound, is read again from the
   * store here; a token past three quarters of the bound is refreshed in the background.
   *
   * <p>A hit reads the cache without Caffeine's access bookkeeping except on every {@value
   * Scratch#RECORDED_HIT_PERIOD}th lookup of the thread: the bookkeeping hands work to another
   * thread when its buffers fill, which costs more than the lookup. Eviction, which only matters
   * when more tokens are in use than the cache holds, then sees a sample of the hits rather than
   * all of them.
   *
   * @throws StoreUnavailableException if an entry past its bound must be read again and the store
   *     cannot be reached, or {@code maxConcurrentLoads} loads are already under way
   */
  @Nullable TokenEntry cachedToken(TokenId id, long now, Scratch scratch) {
    @Nullable TokenEntry cached =
        scratch.recordThisHit() ? tokens.getIfPresent(id) : tokensPolicy.getIfPresentQuietly(id);
    if (cached != null) {
      long age = now - cached.loadedMillis;
      // From the future (the clock went back): not fresh, so a clock step cannot stretch the bound.
      if (age >= 0 && age < cached.freshForMillis) {
        return cached;
      }
      return agedToken(id, cached, now, age);
    }
    return null;
  }

  /**
   * Reads a token the cache has no entry for from the store, and caches what it found: the token,
   * or the id as missing.
   *
   * @throws StoreUnavailableException if the store cannot be reached, or {@code maxConcurrentLoads}
   *     loads are already under way
   */
  TokenEntry loadUncached(TokenId id, long now) {
    acquireLoad(counters.tokens);
    TokenEntry loaded;
    try {
      loaded = loadToken(id, null, now);
    } catch (StoreUnavailableException e) {
      outage.readFailed(e);
      throw e;
    } finally {
      loads.release();
      counters.tokens.missed();
    }
    outage.storeAnswered();
    return loaded;
  }

  /**
   * A cached entry at least its {@link TokenEntry#freshForMillis} old (or from the future): the
   * rare path. A missing id is read again; a token is refreshed in the background until its bound,
   * then read again, or served within the outage grace while the store cannot be reached.
   */
  private TokenEntry agedToken(TokenId id, TokenEntry entry, long now, long age) {
    if (!(entry instanceof CachedToken cached)) {
      return loadUncached(id, now); // seen missing too long ago: the store may have it now
    }
    if (age >= 0 && age < cacheBoundMillis) {
      refreshLater(cached, now);
      return cached;
    }
    boolean withinGrace = age >= 0 && age < outageLimitMillis;
    if (withinGrace && outage.active()) {
      refreshLater(cached, now); // a probe: the first success ends outage mode
      return cached;
    }
    acquireLoad(counters.tokens);
    try {
      TokenEntry loaded = loadToken(id, cached, now);
      outage.storeAnswered();
      return loaded;
    } catch (StoreUnavailableException e) {
      outage.readFailed(e);
      if (withinGrace) {
        return cached; // outage mode began with this read
      }
      throw e;
    } finally {
      loads.release();
      counters.tokens.missed();
    }
  }

  /**
   * The corp's cached settings, loaded on a miss or once older than the cache bound at {@code now}
   * (or, in outage mode, the bound plus the outage grace), refreshed in the background like tokens.
   *
   * @throws StoreUnavailableException if they must be loaded and the store cannot be reached, or
   *     {@code maxConcurrentLoads} loads are already under way
   */
  CorpState corpState(String corp, long now, Scratch scratch) {
    @Nullable CorpState state =
        scratch.recordThisHit() ? corps.getIfPresent(corp) : corpsPolicy.getIfPresentQuietly(corp);
    if (state != null) {
      long age = now - state.loadedMillis;
      if (age >= 0 && age < refreshAfterMillis) {
        return state;
      }
      return agedCorp(corp, state, now, age);
    }
    acquireLoad(counters.corps);
    try {
      state = loadCorpState(corp);
    } catch (StoreUnavailableException e) {
      outage.readFailed(e);
      throw e;
    } finally {
      loads.release();
      counters.corps.missed();
    }
    outage.storeAnswered();
    return state;
  }

  /** Cached corp settings at least {@link #refreshAfterMillis} old: see {@link #agedToken}. */
  private CorpState agedCorp(String corp, CorpState state, long now, long age) {
    if (age >= 0 && age < cacheBoundMillis) {
      refreshLater(state, corp, now);
      return state;
    }
    boolean withinGrace = age >= 0 && age < outageLimitMillis;
    if (withinGrace && outage.active()) {
      refreshLater(state, corp, now);
      return state;
    }
    acquireLoad(counters.corps);
    try {
      CorpState loaded = loadCorpState(corp);
      outage.storeAnswered();
      return loaded;
    } catch (StoreUnavailableException e) {
      outage.readFailed(e);
      if (withinGrace) {
        return state;
      }
      throw e;
    } finally {
      loads.release();
      counters.corps.missed();
    }
  }

  /**
   * Takes a permit for a read on the request thread, or fails at once: a store that does not answer
   * must not hold every thread that serves requests. A refusal counts as a miss of {@code cache}
   * (the lookup needed the store) and as a refused load; a miss whose read is attempted is counted
   * by the caller once the read is over, just before the verification's outcome is counted.
   */
  private void acquireLoad(Counters.Cache cache) {
    if (!loads.tryAcquire()) {
      cache.missed();
      counters.loadRefused();
      throw new StoreUnavailableException(
          "the token cache is already waiting for "
              + maxConcurrentLoads
              + " store reads (maxConcurrentLoads), so the store is slow or unreachable;"
              + " this read was not attempted");
    }
  }

  /**
   * In outage mode, starts a background read of one cached corp's settings (or, with none cached,
   * one token), within the limits of {@link #mayRefresh}: so that the end of an outage is found
   * without waiting for a request to use an entry past three quarters of its bound. The first
   * successful read ends outage mode. Does nothing outside outage mode or with nothing cached (the
   * next miss then reads the store on its request's thread). Never waits for the store.
   */
  void probe() {
    if (!outage.active()) {
      return;
    }
    long now = clock.millis();
    Iterator<Map.Entry<String, CorpState>> corp = corps.asMap().entrySet().iterator();
    if (corp.hasNext()) {
      Map.Entry<String, CorpState> entry = corp.next();
      refreshLater(entry.getValue(), entry.getKey(), now);
      return;
    }
    for (TokenEntry entry : tokens.asMap().values()) {
      if (entry instanceof CachedToken token) {
        refreshLater(token, now);
        return;
      }
    }
  }

  /** Starts a background refresh of a token entry, unless one is under way or not allowed now. */
  private void refreshLater(CachedToken entry, long now) {
    if (mayRefresh(entry, now)) {
      submit(entry, () -> refreshToken(entry));
    }
  }

  /** Starts a background refresh of a corp entry, unless one is under way or not allowed now. */
  private void refreshLater(CorpState entry, String corp, long now) {
    if (mayRefresh(entry, now)) {
      submit(entry, () -> refreshCorp(corp, entry));
    }
  }

  /**
   * Claims the entry's refresh if the pending refreshes leave room; in outage mode, also only if no
   * other refresh is pending and the last probe started at least {@value
   * #OUTAGE_PROBE_INTERVAL_MILLIS} ms ago, so a dead store is probed one read at a time.
   */
  private boolean mayRefresh(CacheEntry entry, long now) {
    if (pendingRefreshes.get() >= MAX_PENDING_REFRESHES) {
      return false;
    }
    if (outage.active()) {
      long last = lastProbeMillis.get();
      boolean probedRecently =
          last != Long.MIN_VALUE && now >= last && now - last < OUTAGE_PROBE_INTERVAL_MILLIS;
      if (pendingRefreshes.get() > 0
          || probedRecently
          || !lastProbeMillis.compareAndSet(last, now)) {
        return false;
      }
    }
    return entry.startRefresh();
  }

  private void submit(CacheEntry entry, Runnable refresh) {
    pendingRefreshes.incrementAndGet();
    try {
      refresher.execute(
          () -> {
            try {
              refresh.run();
            } finally {
              entry.endRefresh();
              pendingRefreshes.decrementAndGet();
            }
          });
    } catch (RejectedExecutionException e) {
      // the deployment is closing: the entry ages to its bound instead
      entry.endRefresh();
      pendingRefreshes.decrementAndGet();
    }
  }

  /**
   * Reads a token again and puts the result in place of {@code old} if it is still the cached
   * entry: a token the store no longer has is dropped (and remembered missing), a forgotten or
   * replaced entry is left as it is.
   */
  private void refreshToken(CachedToken old) {
    long startedMillis = clock.millis();
    @Nullable CachedToken fresh;
    try {
      fresh = load(old.id, old);
    } catch (StoreUnavailableException e) {
      outage.readFailed(e);
      return;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING, "refreshing token " + old.id + " failed; it is read on a later use", e);
      return;
    }
    outage.storeAnswered();
    TokenEntry replacement = fresh != null ? fresh : missing(old.id, startedMillis);
    if (tokens.asMap().replace(old.id, old, replacement)
        && replacement instanceof MissingToken marker) {
      rememberMissing(marker);
    }
  }

  /** Reads a corp's settings again and puts them in place of {@code old} if still cached. */
  private void refreshCorp(String corp, CorpState old) {
    CorpState fresh;
    try {
      fresh = loadCorp(corp);
    } catch (StoreUnavailableException e) {
      outage.readFailed(e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "refreshing corp settings failed; they are read on a later use", e);
      return;
    }
    outage.storeAnswered();
    corps.asMap().replace(corp, old, fresh);
  }

  /**
   * Loads a token as the id's one load in flight, or waits for the one already in flight, and
   * installs the result if no forget came meanwhile: the token, or, if the store does not have it,
   * the id as {@linkplain MissingToken missing} (seen at {@code now}).
   *
   * @param previous the cached entry this load replaces, if any (see {@link #load})
   */
  private TokenEntry loadToken(TokenId id, @Nullable CachedToken previous, long now) {
    CompletableFuture<TokenEntry> mine = new CompletableFuture<>();
    @Nullable CompletableFuture<TokenEntry> other = tokenLoads.putIfAbsent(id, mine);
    if (other != null) {
      return awaitLoad(other);
    }
    try {
      @Nullable CachedToken found = load(id, previous);
      TokenEntry loaded = found != null ? found : missing(id, now);
      // The install is atomic with a forget's removal from the cache, and a forget unregisters this
      // load before that removal: so either this load sees it is no longer the one in flight, or
      // the forget removes what it installed.
      @Nullable TokenEntry installed =
          tokens
              .asMap()
              .compute(id, (key, current) -> tokenLoads.get(key) == mine ? loaded : current);
      if (installed == loaded && loaded instanceof MissingToken marker) {
        rememberMissing(marker);
      }
      mine.complete(loaded);
      return loaded;
    } catch (Throwable e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      tokenLoads.remove(id, mine);
    }
  }

  /** An id the store did not have when read at {@code seenMillis}. */
  private MissingToken missing(TokenId id, long seenMillis) {
    return new MissingToken(id, seenMillis, unknownIdBoundMillis, decoyHash, hasher);
  }

  /**
   * Queues a missing id just cached, and forgets the oldest one queued if that makes more than
   * {@code maxUnknownIds}: a flood of random ids then turns over its own share of the cache, and
   * the tokens in use keep theirs. The slow path only (after a store read).
   */
  private void rememberMissing(MissingToken marker) {
    missingOldestFirst.add(marker);
    if (missingQueued.incrementAndGet() > maxUnknownIds) {
      @Nullable MissingToken oldest = missingOldestFirst.poll();
      if (oldest != null) {
        missingQueued.decrementAndGet();
        tokens.asMap().remove(oldest.id, oldest);
      }
    }
  }

  /** Loads a corp's settings as {@link #loadToken} loads a token. */
  private CorpState loadCorpState(String corp) {
    CompletableFuture<CorpState> mine = new CompletableFuture<>();
    @Nullable CompletableFuture<CorpState> other = corpLoads.putIfAbsent(corp, mine);
    if (other != null) {
      return awaitLoad(other);
    }
    try {
      CorpState loaded = loadCorp(corp);
      corps.asMap().compute(corp, (key, current) -> corpLoads.get(key) == mine ? loaded : current);
      mine.complete(loaded);
      return loaded;
    } catch (Throwable e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      corpLoads.remove(corp, mine);
    }
  }

  /**
   * The outcome of another thread's load of the same key: its result, or its failure (a store
   * failure as a new {@link StoreUnavailableException} of this thread, with the original as cause).
   * Bounded by that load, which the store's own timeout bounds.
   */
  private static <V> V awaitLoad(CompletableFuture<V> load) {
    try {
      return load.join();
    } catch (CompletionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof StoreUnavailableException unavailable) {
        throw new StoreUnavailableException(String.valueOf(unavailable.getMessage()), unavailable);
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Drops a token from the cache, or the id's record of being missing (it was just inserted). Its
   * load in flight, if any, is unregistered first, so it cannot put back what it read before the
   * change, and a later lookup does not wait for it. Never waits for the store.
   */
  @Override
  public void forgetToken(TokenId id) {
    tokenLoads.remove(id);
    tokens.asMap().remove(id);
  }

  /** Drops a corp's settings from the cache, as {@link #forgetToken} drops a token. */
  @Override
  public void forgetCorp(String corp) {
    corpLoads.remove(corp);
    corps.asMap().remove(corp);
  }

  /** The store says a token was deleted, here or on another node. */
  @Override
  public void tokenDeleted(TokenId id) {
    forgetToken(id);
  }

  /**
   * The store says a token's secret was rotated, here or on another node: its cached record holds
   * the old hashes, so it is dropped as for a deletion and read again on its next use.
   */
  @Override
  public void tokenChanged(TokenId id) {
    forgetToken(id);
  }

  /** The store says a corp's settings or permissions changed, here or on another node. */
  @Override
  public void corpChanged(String corp) {
    forgetCorp(corp);
  }

  /**
   * Reads a token from the store and prepares it for the request path; {@code previous}, the entry
   * it replaces, lends the addresses this node saw it used from that may not be written yet.
   * Counted and timed as a load of the token cache, whatever its outcome.
   */
  private @Nullable CachedToken load(TokenId id, @Nullable CachedToken previous) {
    long started = System.nanoTime();
    @Nullable CachedToken loaded;
    try {
      loaded = read(id, previous);
    } catch (RuntimeException e) {
      counters.tokens.loadFailed(System.nanoTime() - started);
      throw e;
    }
    counters.tokens.loaded(System.nanoTime() - started);
    return loaded;
  }

  private @Nullable CachedToken read(TokenId id, @Nullable CachedToken previous) {
    // Read before the store, so the entry's age is never understated.
    long loadedMillis = clock.millis();
    Optional<TokenRecord> found = store.find(id);
    if (found.isEmpty()) {
      return null;
    }
    TokenRecord record = found.get();
    Optional<UserAccount> owner = users.find(record.ownerEmail());
    if (owner.isEmpty() || !owner.get().corp().equals(record.corp())) {
      return null; // the owner left the directory or the corp: the token no longer verifies
    }
    SecretHasher.@Nullable Key key = keyOf(id, record.hash());
    @Nullable SecretHash previousHash = record.previousHash();
    SecretHasher.@Nullable Key previousKey = previousHash == null ? null : keyOf(id, previousHash);
    List<InetAddress> recent = new ArrayList<>(record.recentIps().size());
    for (String ip : record.recentIps()) {
      try {
        recent.add(ClientAddresses.parse(ip));
      } catch (IllegalArgumentException e) {
        // written by an older version in another form: it cannot be compared, so it is left out
      }
    }
    if (previous != null) {
      recent = mergeRecent(previous.recentAddresses(), recent);
    }
    return new CachedToken(
        record,
        key,
        previousKey,
        recent.toArray(new InetAddress[0]),
        loadedMillis,
        refreshAfterMillis);
  }

  /**
   * The configured key a stored hash was made with ({@code null}: unkeyed SHA-256). A key id that
   * is not configured is logged and replaced by the current key, under which the hash never
   * matches, so the secret is refused rather than the load failing.
   */
  private SecretHasher.@Nullable Key keyOf(TokenId id, SecretHash hash) {
    @Nullable String keyId = hash.keyId();
    if (keyId == null) {
      return null;
    }
    SecretHasher.@Nullable Key key = hasher.key(keyId);
    if (key == null) {
      LOG.log(
          Level.WARNING,
          "token "
              + id
              + " was hashed with key id "
              + keyId
              + ", which is not configured;"
              + " it cannot verify until that key is added with SecretHashing.withRetiredKey");
      return hasher.current();
    }
    return key;
  }

  /**
   * This node's recent addresses (newest first), then the store's that are not among them, at most
   * {@link TokenRecord#MAX_RECENT_IPS}: an address used here but not yet written is not new.
   */
  private static List<InetAddress> mergeRecent(InetAddress[] here, List<InetAddress> stored) {
    List<InetAddress> merged = new ArrayList<>(TokenRecord.MAX_RECENT_IPS);
    for (InetAddress address : here) {
      if (merged.size() < TokenRecord.MAX_RECENT_IPS) {
        merged.add(address);
      }
    }
    for (InetAddress address : stored) {
      if (merged.size() < TokenRecord.MAX_RECENT_IPS && !merged.contains(address)) {
        merged.add(address);
      }
    }
    return merged;
  }

  /** Reads a corp's settings and permitted users: one load of the corp cache, counted and timed. */
  private CorpState loadCorp(String corp) {
    long started = System.nanoTime();
    CorpState loaded;
    try {
      long loadedMillis = clock.millis();
      loaded = new CorpState(store.settings(corp), store.permissionGrants(corp), loadedMillis);
    } catch (RuntimeException e) {
      counters.corps.loadFailed(System.nanoTime() - started);
      throw e;
    }
    counters.corps.loaded(System.nanoTime() - started);
    return loaded;
  }
}
