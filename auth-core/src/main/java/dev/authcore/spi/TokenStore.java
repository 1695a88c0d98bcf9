package dev.authcore.spi;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where tokens, corp settings, permissions and usage live. auth-core ships an in-memory store and a
 * relational one; any store must pass the contract suite in auth-testkit.
 *
 * <p><b>Thread safety:</b> implementations are safe for concurrent use. Each method is atomic: it
 * either happens whole or not at all.
 *
 * <p><b>Failures:</b> a store that cannot reach its back end throws {@link
 * StoreUnavailableException}; it never returns a made-up answer. Caller mistakes (a malformed
 * argument) throw {@link IllegalArgumentException}.
 *
 * <p><b>Emails</b> are matched ignoring ASCII case: stores compare {@linkplain
 * TokenRecord#ownerKey() owner keys}.
 *
 * <p><b>Changes from elsewhere:</b> a store shared by several nodes tells the {@linkplain
 * #addListener listeners} of each node what changed, so caches can drop it before their time bound.
 * A store that cannot do so simply never calls them; caches then expire on their bound.
 */
public interface TokenStore {

  /** Outcome of {@link #insert}. */
  enum InsertOutcome {
    /** Stored. */
    INSERTED,
    /** The owner already has the maximum number of tokens; nothing stored. */
    LIMIT_REACHED,
    /** The owner already has a token of that name, ignoring case; nothing stored. */
    NAME_TAKEN,
    /** A token with that id exists (a random collision; draw another id); nothing stored. */
    ID_TAKEN
  }

  /**
   * Stores {@code token} if its owner has fewer than {@code maxPerOwner} tokens and none of the
   * same name (ignoring case). The check and the insert are one atomic step, also under concurrent
   * inserts from other nodes: a thousand simultaneous inserts for one owner store exactly {@code
   * maxPerOwner}.
   */
  InsertOutcome insert(TokenRecord token, int maxPerOwner);

  /** The token with this id, if stored. */
  Optional<TokenRecord> find(TokenId id);

  /**
   * Deletes the token with this id.
   *
   * @return the deleted record, or empty if there was none
   */
  Optional<TokenRecord> delete(TokenId id);

  /**
   * Replaces the secret of token {@code id} if its stored hash still equals {@code expected}
   * (compare and set on the hash): the store's half of a rotation. In one atomic step the hash
   * becomes {@code replacement}, {@link TokenRecord#rotated()} becomes {@code rotated}, and with a
   * grace period ({@code previousValidUntil} not {@code null}) {@code expected} becomes the {@link
   * TokenRecord#previousHash()} valid until {@code previousValidUntil}, replacing any earlier
   * previous hash; without one, no previous hash is kept. Everything else (id, corp, owner, name,
   * creation, own expiry, usage) is kept, and the owner's token count does not change.
   *
   * <p>Two rotations racing from the same {@code expected} cannot both succeed: the later one finds
   * another hash and gets an empty answer, reads the token again and retries from the new hash, so
   * the earlier rotation's previous secret is then gone. On success the store tells its listeners
   * (on every node) {@link StoreListener#tokenChanged}, as for a deletion.
   *
   * @return the record as stored after the rotation, or empty if no token has this id or its hash
   *     is no longer {@code expected}; nothing changed then
   */
  Optional<TokenRecord> rotateSecret(
      TokenId id,
      SecretHash expected,
      SecretHash replacement,
      Instant rotated,
      @Nullable Instant previousValidUntil);

  /**
   * Replaces the token's own IP allow list: {@link TokenRecord#allowedIps()} becomes {@code
   * allowedIps}, and everything else (hash, previous hash, usage, owner count) is kept. The text is
   * stored as given; the caller has parsed it and passes its canonical form. On success the store
   * tells its listeners (on every node) {@link StoreListener#tokenChanged}, as for a rotation, so
   * cached copies are read again.
   *
   * @param allowedIps the list's canonical text, or {@code null} (or empty) to remove the token's
   *     own list
   * @return the record as stored after the change, or empty if no token has this id; nothing
   *     changed then
   */
  Optional<TokenRecord> setAllowedIps(TokenId id, @Nullable String allowedIps);

  /** Every token of one owner, oldest first. */
  List<TokenRecord> listByOwner(String corp, String ownerEmail);

  /**
   * One page of a corp's tokens in listing order: newest first, ties broken by id descending.
   *
   * @param ownerEmail only this owner's tokens, or {@code null} for all
   * @param after the position of the last token of the previous page, or {@code null} for the first
   *     page; tokens at or before it are skipped
   * @param limit the most tokens to return, at least 1
   */
  List<TokenRecord> listCorp(
      String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit);

  /** The corp's token settings, or {@link TokenSettings#defaults()} if never set. */
  TokenSettings settings(String corp);

  /**
   * Replaces the corp's settings if they still equal {@code expected} (compare and set).
   *
   * @return whether the settings were replaced
   */
  boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated);

  /**
   * Keys (ASCII lower-cased emails) of the corp's users with a stored grant of the token
   * permission, ended or not: the keys of {@link #permissionGrants}. Who holds the permission at an
   * instant depends on the grants' ends ({@link PermissionGrant#heldAt}), which only {@link
   * #permissionGrants} gives.
   */
  Set<String> permittedUsers(String corp);

  /**
   * Every stored grant of the token permission in the corp, with its end, ordered by key. A grant
   * whose end has passed is still listed (the store has no clock): it is remembered as ended until
   * a new grant replaces it or a revocation removes it.
   */
  List<PermissionGrant> permissionGrants(String corp);

  /**
   * Grants without an end, or revokes, the token permission of one user. A grant replaces any
   * stored grant of the user, and its end; a revocation removes it.
   *
   * @return whether the user had a stored grant before, ended or not
   */
  boolean setPermission(String corp, String email, boolean permitted);

  /**
   * Stores a grant of the token permission to one user that ends at {@code until} (exclusive), or
   * never if {@code until} is {@code null}, replacing any stored grant of the user in one atomic
   * step. The new grant's end is not {@linkplain #claimEndedGrants claimed}, even if it equals the
   * one it replaces: a grant given again ends again. The store does not judge the end against any
   * clock; callers do. Tells the listeners {@link StoreListener#corpChanged} unless the stored
   * grant was the same (same end) and not yet claimed.
   *
   * @return the grant stored before, ended or not, or empty if there was none
   */
  Optional<PermissionGrant> grantPermission(String corp, String email, @Nullable Instant until);

  /**
   * Claims up to {@code limit} grants whose end is at or before {@code now} and not claimed yet,
   * and returns them: the caller publishes that they ended. Claiming is atomic per grant, also
   * across nodes sharing the store (a conditional update): each ended grant is returned by exactly
   * one call, ever, so its end is published once even when several nodes sweep at the same moment.
   * The claim is kept with the grant (across restarts, for a persistent store) and dropped when the
   * grant is replaced or revoked. Claiming changes nothing a verifier reads: an ended grant stops
   * the permission at its end whether it is claimed or not.
   *
   * @param limit the most grants to claim, at least 1
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  List<EndedGrant> claimEndedGrants(Instant now, int limit);

  /**
   * Merges a batch of usage updates ({@link UsageUpdate#merge}); updates of tokens no longer stored
   * are dropped.
   */
  void recordUsage(List<UsageUpdate> batch);

  /**
   * Merges a batch of tallies of requests a staged allow list would have refused ({@link
   * BlockedTally#merge}); tallies of tokens no longer stored are dropped.
   */
  void recordBlocked(List<BlockedTally> batch);

  /**
   * The corp's tallies counted against the staging at {@code since}, by token; tokens with none are
   * absent.
   */
  Map<TokenId, BlockedTally> blocked(String corp, Instant since);

  /**
   * One page of the corps that hold at least one token, for work that walks every token corp by
   * corp (the expiry-notice sweep reads each corp's settings once, then pages through its tokens
   * with {@link #listCorp}).
   *
   * <p>Corps come in an order the store keeps fixed, the same for every call: the in-memory store
   * orders them by {@link String#compareTo}, a database store by its own comparison of the column
   * (it must be a total order, as PostgreSQL's deterministic collations are). Paging resumes
   * strictly after {@code after}, which need not hold tokens any more: a corp whose last token was
   * deleted between pages is skipped, one that got its first token may or may not be seen.
   *
   * @param after the last corp of the previous page, or {@code null} for the first page
   * @param limit the most corps to return, at least 1
   * @throws IllegalArgumentException if {@code limit} is below 1
   */
  List<String> corpsWithTokens(@Nullable String after, int limit);

  /**
   * Records that the expiry notice {@code notice} of token {@code id} is sent, unless that notice
   * or a later one ({@link ExpiryNotice} order) is recorded for the token already, or no token with
   * this id is stored. The caller whose call returns {@code true} sends the notice; every other
   * caller does not, so a notice goes out once even when several nodes sweep at the same moment.
   *
   * <p>Atomic per token, also across nodes sharing the store: concurrent calls for one token take
   * effect one after another, so of many calls for one notice exactly one returns {@code true}, and
   * after {@code true} for a notice every call for it or an earlier one returns {@code false}.
   * Records are kept with the token (across restarts, for a persistent store) and dropped when it
   * is deleted.
   *
   * @return whether this call recorded the notice
   */
  boolean recordNotice(TokenId id, ExpiryNotice notice);

  /**
   * Subscribes to changes made by any node sharing this store (this one included, or not).
   *
   * <p>Each call adds the listener once more (adding it twice means it is told twice) and returns
   * the registration that removes this one subscription when closed. A deployment closes its
   * registration when it is closed itself, so a shared store does not accumulate listeners.
   *
   * @return the subscription; close it to stop hearing of changes
   */
  ListenerRegistration addListener(StoreListener listener);

  /**
   * How this store's change feed is doing, for a deployment's stats and health checks: whether the
   * {@linkplain #addListener listeners} hear other nodes' changes now, how often the feed
   * reconnected, and how far behind it may be.
   *
   * <p>It must answer at once from what the store already knows, without reaching its back end: a
   * health check calls it, and must not hang on a database that does not answer.
   *
   * <p>The default, for a store that does not report one, is {@link FeedStatus#NONE}.
   */
  default FeedStatus feedStatus() {
    return FeedStatus.NONE;
  }
}
