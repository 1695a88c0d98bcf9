package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import com.google.common.net.InetAddresses;
import dev.authcore.internal.Emails;
import dev.authcore.internal.LogSafe;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UserDirectory;
import dev.authcore.store.InMemoryTokenStore;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One deployment of auth-core: a token format, a store, a user directory, caches and audit
 * listeners, shared by the {@link #issuer()} and the {@link #verifier()} so that a change made
 * through one is seen by the other at once.
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
 * <p>Build one per deployment and share it: it is thread-safe. It owns one daemon thread that
 * writes token usage to the store periodically; {@link #close()} stops it after a last write.
 */
public final class AuthCore implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AuthCore.class.getName());

  final TokenFormat format;
  final TokenStore store;
  final UserDirectory users;
  final InstantSource clock;
  final SecretHasher hasher;
  final int maxTokensPerUser;
  final SecureRandom random;
  final UsageRecorder usage;

  /** Hash compared against for unknown ids: random, so it matches nothing. */
  final byte[] decoyHash;

  /*
   * The caches are bounded in size only. Each entry carries the clock reading it was loaded at, and
   * the request path, which reads the clock once anyway, treats an entry older than the bound as
   * absent. Caffeine's own expiry would read System.nanoTime in each cache on every hit (a clock
   * read costs about as much as a quarter of the hash on virtual machines), and it would follow
   * the wall clock rather than the injected one.
   */
  private final Cache<TokenId, CachedToken> tokens;
  private final Policy<TokenId, CachedToken> tokensPolicy;
  private final long cacheBoundMillis;

  /** Ids the store did not have, with the clock reading they were looked up at. */
  private final Cache<TokenId, Long> unknown;

  private final Policy<TokenId, Long> unknownPolicy;
  private final long unknownIdBoundMillis;
  private final Cache<String, CorpState> corps;
  private final Policy<String, CorpState> corpsPolicy;

  /** Built once: a capturing lambda per request would be an avoidable allocation. */
  private final java.util.function.Function<String, CorpState> corpLoader = this::loadCorp;

  private final List<AuditListener> listeners;
  private final @Nullable ScheduledExecutorService flusher;
  private final TokenIssuer issuer;
  private final TokenVerifier verifier;
  private final Duration cacheBound;

  private AuthCore(Builder b, UserDirectory users) {
    this.format = new TokenFormat(b.prefix);
    this.store = b.store != null ? b.store : new InMemoryTokenStore();
    this.users = users;
    this.clock = b.clock;
    this.hasher = new SecretHasher(b.hashing);
    this.maxTokensPerUser = b.maxTokensPerUser;
    this.random = new SecureRandom();
    this.decoyHash = new byte[32];
    random.nextBytes(decoyHash);
    this.cacheBound = b.cacheBound;
    this.cacheBoundMillis = b.cacheBound.toMillis();
    this.unknownIdBoundMillis = b.unknownIdBound.toMillis();
    this.tokens = Caffeine.newBuilder().maximumSize(b.maxCachedTokens).build();
    this.tokensPolicy = tokens.policy();
    this.unknown = Caffeine.newBuilder().maximumSize(b.maxCachedUnknownIds).build();
    this.unknownPolicy = unknown.policy();
    this.corps = Caffeine.newBuilder().maximumSize(100_000).build();
    this.corpsPolicy = corps.policy();
    this.listeners = List.copyOf(b.listeners);
    this.usage = new UsageRecorder(store);
    this.issuer = new TokenIssuer(this);
    this.verifier = new TokenVerifier(this);
    store.addListener(
        new StoreListener() {
          @Override
          public void tokenDeleted(TokenId id) {
            forgetToken(id);
          }

          @Override
          public void corpChanged(String corp) {
            forgetCorp(corp);
          }
        });
    if (b.usageFlushInterval.isZero()) {
      this.flusher = null;
    } else {
      this.flusher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "auth-core-usage-flush");
                t.setDaemon(true);
                return t;
              });
      long period = b.usageFlushInterval.toMillis();
      // flushQuietly never throws, so the schedule's future carries no failure worth keeping.
      var unused =
          flusher.scheduleWithFixedDelay(
              usage::flushQuietly, period, period, TimeUnit.MILLISECONDS);
    }
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

  /** The store this deployment uses. */
  public TokenStore store() {
    return store;
  }

  /** The user directory this deployment uses. */
  public UserDirectory users() {
    return users;
  }

  /** The clock this deployment uses. */
  public InstantSource clock() {
    return clock;
  }

  /** How stale a change made on another node sharing the store can be here (the cache bound). */
  public Duration cacheBound() {
    return cacheBound;
  }

  /**
   * The account of an acting user.
   *
   * @throws InvalidInputException if the email is malformed
   * @throws NotFoundException if no such user exists; the message quotes the email escaped, with
   *     anything that could be a token redacted
   * @throws StoreUnavailableException if the directory cannot be reached
   */
  public UserAccount actor(String email) {
    @Nullable String problem = Emails.problem(email);
    if (problem != null) {
      throw new InvalidInputException(
          "actor email", "actor email '" + LogSafe.escape(email) + "' is not valid: " + problem);
    }
    Optional<UserAccount> found = users.find(email);
    if (found.isEmpty()) {
      throw new NotFoundException(
          "unknown user '"
              + LogSafe.escape(email)
              + "': the actor email names no user in the directory");
    }
    return found.get();
  }

  /**
   * Publishes an event to every listener registered with the builder. Components built on this
   * deployment (the console) publish through it; a listener that throws is logged and skipped.
   *
   * <p>A {@link AuditEvent.SettingsChanged} or {@link AuditEvent.PermissionChanged} event first
   * drops the corp's cached settings here, so the change it reports applies to this node's verifier
   * before anyone hears of it, also with a store that does not tell its listeners of this node's
   * own changes.
   */
  public void publish(AuditEvent event) {
    if (event instanceof AuditEvent.SettingsChanged changed) {
      forgetCorp(changed.corp());
    } else if (event instanceof AuditEvent.PermissionChanged changed) {
      forgetCorp(changed.corp());
    }
    for (AuditListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "audit listener " + listener + " failed on " + event.getClass(), e);
      }
    }
  }

  /**
   * Writes the token usage recorded so far to the store now, instead of at the next period.
   *
   * @throws StoreUnavailableException if the store fails; the usage stays queued
   */
  public void flushUsage() {
    usage.flush();
  }

  /**
   * Stops the periodic usage writer after writing what is queued. Idempotent.
   *
   * <p>It does not close the store or the user directory: they are the caller's, may be shared (two
   * deployments on one database), and often outlive this object; close them after it.
   */
  @Override
  public void close() {
    if (flusher != null) {
      flusher.shutdown();
      try {
        flusher.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    usage.flushQuietly();
  }

  // ---- request path support ------------------------------------------------------------------

  /**
   * The cached token, loading it on a miss or once it is older than the cache bound at {@code now};
   * {@code null} if the store does not have it (remembered for the unknown-id bound).
   *
   * <p>A hit reads the cache without Caffeine's access bookkeeping except on every {@value
   * Scratch#RECORDED_HIT_PERIOD}th hit of the thread: the bookkeeping hands work to another thread
   * when its buffers fill, which costs more than the lookup. Eviction, which only matters when more
   * tokens are in use than the cache holds, then sees a sample of the hits rather than all of them.
   */
  @Nullable CachedToken lookup(TokenId id, long now, Scratch scratch) {
    @Nullable CachedToken cached =
        scratch.recordThisHit() ? tokens.getIfPresent(id) : tokensPolicy.getIfPresentQuietly(id);
    if (cached != null) {
      if (isFresh(cached.loadedMillis, now, cacheBoundMillis)) {
        return cached;
      }
      // remove(key, value): a newer entry loaded by another thread meanwhile stays.
      tokens.asMap().remove(id, cached);
    } else {
      @Nullable Long seenMissing = unknownPolicy.getIfPresentQuietly(id);
      if (seenMissing != null && isFresh(seenMissing, now, unknownIdBoundMillis)) {
        return null;
      }
    }
    cached = tokens.get(id, this::load);
    if (cached == null) {
      unknown.put(id, now);
    }
    return cached;
  }

  /**
   * Whether an entry loaded at {@code loaded} may still be used at {@code now}: younger than {@code
   * bound}. An entry from the future (the clock went back) is not fresh, so a clock set back cannot
   * make entries outlive their bound.
   */
  private static boolean isFresh(long loaded, long now, long bound) {
    long age = now - loaded;
    return age >= 0 && age < bound;
  }

  private @Nullable CachedToken load(TokenId id) {
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
    @Nullable String keyId = record.hash().keyId();
    SecretHasher.@Nullable Key key = null;
    if (keyId != null) {
      key = hasher.key(keyId);
      if (key == null) {
        LOG.log(
            Level.WARNING,
            "token "
                + id
                + " was hashed with key id "
                + keyId
                + ", which is not configured;"
                + " it cannot verify until that key is added with SecretHashing.withRetiredKey");
        key = hasher.current();
      }
    }
    List<InetAddress> recent = new ArrayList<>(record.recentIps().size());
    for (String ip : record.recentIps()) {
      if (InetAddresses.isInetAddress(ip)) {
        recent.add(InetAddresses.forString(ip));
      }
    }
    return new CachedToken(record, key, recent.toArray(new InetAddress[0]), loadedMillis);
  }

  /**
   * The corp's cached settings, loaded on a miss or once older than the cache bound at {@code now}.
   */
  CorpState corpState(String corp, long now, Scratch scratch) {
    @Nullable CorpState state =
        scratch.recordThisHit() ? corps.getIfPresent(corp) : corpsPolicy.getIfPresentQuietly(corp);
    if (state != null) {
      if (isFresh(state.loadedMillis, now, cacheBoundMillis)) {
        return state;
      }
      corps.asMap().remove(corp, state);
    }
    return corps.get(corp, corpLoader);
  }

  private CorpState loadCorp(String corp) {
    long loadedMillis = clock.millis();
    return new CorpState(store.settings(corp), store.permittedUsers(corp), loadedMillis);
  }

  /**
   * Drops a token from the cache, waiting for a load of it in flight. {@code Cache.invalidate}
   * leaves a concurrent load's outcome undefined; a {@code compute} on the map is atomic with the
   * load's own compute, so a load that read the store before a delete cannot reinstate the token.
   */
  void forgetToken(TokenId id) {
    tokens.asMap().compute(id, (key, cached) -> null);
  }

  void forgetUnknown(TokenId id) {
    unknown.invalidate(id);
  }

  /** Drops a corp's settings from the cache, waiting for a load in flight (see forgetToken). */
  void forgetCorp(String corp) {
    corps.asMap().compute(corp, (key, state) -> null);
  }

  void usedFromNewAddress(CachedToken token, long now, InetAddress client) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenUsedFromNewIp(
              Instant.ofEpochMilli(now),
              token.corp,
              token.id,
              token.ownerEmail,
              addressText(client)));
    }
  }

  void publishRejection(
      RejectionReason reason,
      @Nullable TokenId id,
      @Nullable String corp,
      @Nullable String email,
      @Nullable InetAddress client,
      @Nullable String clientText) {
    if (listeners.isEmpty()) {
      return;
    }
    String ip = client != null ? addressText(client) : clientText != null ? clientText : "unknown";
    publish(
        new AuditEvent.TokenRejected(
            Instant.ofEpochMilli(clock.millis()), reason, id, corp, claimedUser(email), ip));
  }

  /** An address as the store records it: IPv4-mapped as IPv4, no zone id. */
  private static String addressText(InetAddress client) {
    return InetAddresses.toAddrString(ClientAddresses.normalize(client));
  }

  /**
   * The claimed user for an event, escaped. A client that swaps the headers, or sends its token in
   * both, would otherwise put a live token into the audit log: anything that contains this
   * deployment's token prefix is redacted.
   */
  private String claimedUser(@Nullable String email) {
    return email == null ? "<missing>" : requestText(email);
  }

  /**
   * Text from a request, escaped for logs: wholly redacted if it holds this deployment's token
   * prefix, else with any run that could be part of a token (one sent without its prefix, or only
   * its secret) redacted by {@link LogSafe#escape}.
   */
  String requestText(String text) {
    return text.contains(format.prefix() + "_")
        ? "<redacted: looks like a token>"
        : LogSafe.escape(text);
  }

  /**
   * Configures an {@link AuthCore}. Setters validate at once and throw {@link
   * IllegalArgumentException} saying what is wrong; {@link #build()} checks that the required parts
   * are there. Not thread-safe; build once.
   */
  public static final class Builder {
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
    private Duration usageFlushInterval = Duration.ofSeconds(10);
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

    /** Where tokens live. Default: a new {@link InMemoryTokenStore}. */
    public Builder store(TokenStore store) {
      this.store = store;
      return this;
    }

    /** Who the users are. Required. */
    public Builder users(UserDirectory users) {
      this.users = users;
      return this;
    }

    /** The clock for creation instants, expiry and last use. Default: the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    /** How secrets are hashed. Default: {@link SecretHashing#sha256()}. */
    public Builder hashing(SecretHashing hashing) {
      this.hashing = hashing;
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

    /** Most token records cached, at least 1. Default 100,000. */
    public Builder maxCachedTokens(long max) {
      checkArgument(max >= 1, "max cached tokens must be at least 1, got %s", max);
      this.maxCachedTokens = max;
      return this;
    }

    /**
     * How often recorded usage is written to the store: 100 ms to 1 hour, or zero for never (call
     * {@link AuthCore#flushUsage()} yourself). Default 10 seconds.
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

    /** Adds a listener for audit events. */
    public Builder auditListener(AuditListener listener) {
      listeners.add(listener);
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
