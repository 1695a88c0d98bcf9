package dev.authcore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.authcore.internal.wiring.CorpStates;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UserDirectory;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of a deployment's cached state: token records, ids the store did not have, and
 * corps' settings and permissions. It loads them from the store on a miss, serves them within the
 * cache bound, and forgets them when told: by the issuer after a delete or an insert, by the
 * console after a settings or permission change, and by the store (as its {@link StoreListener})
 * when another node changed something.
 *
 * <p>The caches are bounded in size only. Each entry carries the clock reading it was loaded at,
 * and the request path, which reads the clock once anyway, treats an entry older than the bound as
 * absent. Caffeine's own expiry would read {@code System.nanoTime} in each cache on every hit (a
 * clock read costs about as much as a quarter of the hash on virtual machines), and it would follow
 * the wall clock rather than the injected one.
 *
 * <p>Thread-safe. Lookups take no lock on a hit; forgetting waits for a load of the same key in
 * flight, so a load that read the store before a change cannot put the old state back.
 */
final class TokenCache implements StoreListener, CorpStates {
  private static final System.Logger LOG = System.getLogger(TokenCache.class.getName());

  private final TokenStore store;
  private final UserDirectory users;
  private final InstantSource clock;
  private final SecretHasher hasher;

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
  private final Function<String, CorpState> corpLoader = this::loadCorp;

  /** Built once, for the same reason. */
  private final Function<TokenId, @Nullable CachedToken> tokenLoader = this::load;

  /** The sizes and bounds of the three caches, as the builder validated them. */
  record Limits(
      long cacheBoundMillis,
      long unknownIdBoundMillis,
      long maxTokens,
      long maxUnknownIds,
      long maxCorps) {}

  TokenCache(
      TokenStore store,
      UserDirectory users,
      InstantSource clock,
      SecretHasher hasher,
      Limits limits) {
    this.store = store;
    this.users = users;
    this.clock = clock;
    this.hasher = hasher;
    this.cacheBoundMillis = limits.cacheBoundMillis();
    this.unknownIdBoundMillis = limits.unknownIdBoundMillis();
    this.tokens = Caffeine.newBuilder().maximumSize(limits.maxTokens()).build();
    this.tokensPolicy = tokens.policy();
    this.unknown = Caffeine.newBuilder().maximumSize(limits.maxUnknownIds()).build();
    this.unknownPolicy = unknown.policy();
    this.corps = Caffeine.newBuilder().maximumSize(limits.maxCorps()).build();
    this.corpsPolicy = corps.policy();
  }

  /**
   * The cached token, loading it on a miss or once it is older than the cache bound at {@code now};
   * {@code null} if the store does not have it (remembered for the unknown-id bound).
   *
   * <p>A hit reads the cache without Caffeine's access bookkeeping except on every {@value
   * Scratch#RECORDED_HIT_PERIOD}th hit of the thread: the bookkeeping hands work to another thread
   * when its buffers fill, which costs more than the lookup. Eviction, which only matters when more
   * tokens are in use than the cache holds, then sees a sample of the hits rather than all of them.
   *
   * @throws StoreUnavailableException if the token must be loaded and the store cannot be reached
   */
  @Nullable CachedToken token(TokenId id, long now, Scratch scratch) {
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
    cached = tokens.get(id, tokenLoader);
    if (cached == null) {
      unknown.put(id, now);
    }
    return cached;
  }

  /**
   * Whether {@code id} is among the ids recently seen missing, looked up as {@link #token} looks up
   * an id that is not cached. The verifier calls it for a known id presented with a wrong secret,
   * so that rejection pays the second lookup an unknown id pays, and the two cost the same; the
   * answer matters to no one.
   */
  boolean seenMissing(TokenId id) {
    return unknownPolicy.getIfPresentQuietly(id) != null;
  }

  /**
   * The corp's cached settings, loaded on a miss or once older than the cache bound at {@code now}.
   *
   * @throws StoreUnavailableException if they must be loaded and the store cannot be reached
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

  /**
   * Drops a token from the cache, waiting for a load of it in flight. {@code Cache.invalidate}
   * leaves a concurrent load's outcome undefined; a {@code compute} on the map is atomic with the
   * load's own compute, so a load that read the store before a delete cannot reinstate the token.
   */
  void forgetToken(TokenId id) {
    tokens.asMap().compute(id, (key, cached) -> null);
  }

  /** Forgets that the store lacked this id: it was just inserted. */
  void forgetUnknown(TokenId id) {
    unknown.invalidate(id);
  }

  /** Drops a corp's settings from the cache, waiting for a load in flight (see forgetToken). */
  @Override
  public void forgetCorp(String corp) {
    corps.asMap().compute(corp, (key, state) -> null);
  }

  /** The store says a token was deleted, here or on another node. */
  @Override
  public void tokenDeleted(TokenId id) {
    forgetToken(id);
  }

  /** The store says a corp's settings or permissions changed, here or on another node. */
  @Override
  public void corpChanged(String corp) {
    forgetCorp(corp);
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
      try {
        recent.add(ClientAddresses.parse(ip));
      } catch (IllegalArgumentException e) {
        // written by an older version in another form: it cannot be compared, so it is left out
      }
    }
    return new CachedToken(record, key, recent.toArray(new InetAddress[0]), loadedMillis);
  }

  private CorpState loadCorp(String corp) {
    long loadedMillis = clock.millis();
    return new CorpState(store.settings(corp), store.permittedUsers(corp), loadedMillis);
  }
}
