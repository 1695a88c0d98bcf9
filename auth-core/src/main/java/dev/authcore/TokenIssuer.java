package dev.authcore;

import dev.authcore.internal.Emails;
import dev.authcore.internal.LogSafe;
import dev.authcore.internal.wiring.Actors;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.TokenLimitExceededException;
import dev.authcore.model.UserAccount;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Creates and deletes tokens on behalf of an acting user.
 *
 * <p><b>Issuing.</b> A name is required: trimmed, 1 to 64 visible characters in any words and any
 * script, no control or invisible formatting characters, unique per user ignoring case. A name that
 * holds a token or a secret (whole, without its prefix, in part, or split by separators) is
 * refused, since a name is shown in listings and audit events; ordinary names such as {@code
 * DeployKeyProduction} or {@code kubernetesautoscaler} are fine (see {@link SecretRedactor} for
 * what counts as a secret). A user has at most the deployment's limit of tokens (5 by default);
 * expired and disabled tokens count until deleted. The limit holds under any concurrency, because
 * the store checks and inserts in one atomic step. In a corp restricted to permitted users, only
 * holders of the permission may issue (owners too).
 *
 * <p><b>Deleting.</b> A user deletes their own tokens; an owner deletes any token of their corp.
 * When {@link #delete} returns, the token no longer verifies on this node, even if a cache load of
 * it was in flight; on other nodes sharing the store, within the cache bound.
 *
 * <p>Every success publishes an {@link AuditEvent}. Caller mistakes throw {@link
 * InvalidInputException} (bad name or lifetime), {@link NotFoundException} (unknown actor), {@link
 * ConflictException} (name taken), {@link PermissionDeniedException} (not allowed) or {@link
 * TokenLimitExceededException}; a store failure throws {@link StoreUnavailableException}. In every
 * failure case nothing changed. Thread-safe.
 */
public final class TokenIssuer {
  private static final int MAX_ID_ATTEMPTS = 5;

  private final Actors actors;
  private final TokenStore store;
  private final TokenFormat format;
  private final SecretHasher hasher;
  private final SecureRandom random;
  private final InstantSource clock;
  private final int maxTokensPerUser;
  private final TokenCache cache;
  private final AuditPublisher audit;

  TokenIssuer(
      Actors actors,
      TokenStore store,
      TokenFormat format,
      SecretHasher hasher,
      SecureRandom random,
      InstantSource clock,
      int maxTokensPerUser,
      TokenCache cache,
      AuditPublisher audit) {
    this.actors = actors;
    this.store = store;
    this.format = format;
    this.hasher = hasher;
    this.random = random;
    this.clock = clock;
    this.maxTokensPerUser = maxTokensPerUser;
    this.cache = cache;
    this.audit = audit;
  }

  /**
   * Issues a token that expires only under the corp's policy.
   *
   * @see #issue(String, String, Duration)
   */
  public IssuedToken issue(String actorEmail, String name) {
    return issue(actorEmail, name, null);
  }

  /**
   * Issues a token for the acting user.
   *
   * @param actorEmail the user who creates the token and will own it
   * @param name the token's name (see the class documentation for the rules)
   * @param lifetime the token's own lifetime, 1 to 3,650 days, or {@code null} for none; the corp's
   *     expiry policy applies too, and the earlier expiry wins
   * @return the token, holding its plaintext for this one time
   * @throws NullPointerException if {@code actorEmail} or {@code name} is null
   * @throws InvalidInputException if the actor email is malformed, the name breaks a rule, or the
   *     lifetime is out of range
   * @throws NotFoundException if the actor is not in the user directory
   * @throws PermissionDeniedException if the corp is restricted and the actor lacks the permission
   * @throws TokenLimitExceededException if the actor already has the maximum number of tokens
   * @throws ConflictException if the actor already has a token of that name
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public IssuedToken issue(String actorEmail, String name, @Nullable Duration lifetime) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(name, "name");
    UserAccount actor = actors.actor(actorEmail);
    String trimmed = TokenNames.check(name);
    if (lifetime != null) {
      ExpiryPolicy.checkAge(lifetime, "token lifetime");
    }
    TokenSettings settings = store.settings(actor.corp());
    if (settings.restricted() && !store.permittedUsers(actor.corp()).contains(actor.emailKey())) {
      throw new PermissionDeniedException(
          "corp "
              + actor.corp()
              + " restricts tokens to permitted users and "
              + actor.email()
              + " does not hold the token permission; an owner can grant it");
    }
    Instant created = Instant.ofEpochMilli(clock.millis());
    @Nullable Instant expiresAt = lifetime == null ? null : created.plus(lifetime);
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      TokenId id = TokenId.random(random);
      String plaintext = format.mint(id, random);
      TokenRecord record =
          TokenRecord.issued(
              id,
              actor.corp(),
              actor.email(),
              trimmed,
              created,
              expiresAt,
              hasher.hashForStorage(plaintext, format.secretStart(), TokenFormat.SECRET_LENGTH));
      TokenStore.InsertOutcome outcome = store.insert(record, maxTokensPerUser);
      switch (outcome) {
        case INSERTED -> {
          // The id may have been looked up (and remembered missing) before it existed.
          cache.forgetUnknown(id);
          audit.tokenCreated(created, actor.corp(), actor.email(), id, trimmed, expiresAt);
          return new IssuedToken(
              id, actor.corp(), actor.email(), trimmed, created, expiresAt, plaintext);
        }
        case LIMIT_REACHED ->
            throw new TokenLimitExceededException(
                actor.email()
                    + " already has "
                    + maxTokensPerUser
                    + " tokens, the most allowed; delete one first (expired and disabled tokens"
                    + " count until deleted)",
                maxTokensPerUser);
        case NAME_TAKEN ->
            throw new ConflictException(
                ConflictException.Kind.NAME_TAKEN,
                actor.email()
                    + " already has a token named '"
                    + LogSafe.escape(trimmed)
                    + "' (names are unique per user, ignoring case)");
        case ID_TAKEN -> {
          // a 64-bit collision: draw another id
        }
      }
    }
    throw new StoreUnavailableException(
        "the store reported " + MAX_ID_ATTEMPTS + " id collisions in a row; is it healthy?");
  }

  /**
   * Deletes a token. When this returns, the token no longer verifies on this node: its cache entry
   * is dropped here, whether or not the store tells its listeners.
   *
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException if the actor email is malformed
   * @throws NotFoundException if the actor is unknown, or the actor's corp has no token with this
   *     id
   * @throws PermissionDeniedException if the token is another user's and the actor is not an owner
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public void delete(String actorEmail, TokenId id) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(id, "id");
    UserAccount actor = actors.actor(actorEmail);
    Optional<TokenRecord> found = store.find(id).filter(t -> t.corp().equals(actor.corp()));
    if (found.isEmpty()) {
      throw new NotFoundException("no token " + id + " in corp " + actor.corp());
    }
    TokenRecord token = found.get();
    if (!actor.isOwner() && !Emails.same(token.ownerEmail(), actor.email())) {
      throw new PermissionDeniedException(
          actor.email()
              + " may not delete token "
              + id
              + " of another user; only its owner or a corp owner may");
    }
    Optional<TokenRecord> deleted = store.delete(id);
    // Evicted here, where the delete is made: a store need not tell this node of its own change.
    cache.forgetToken(id);
    if (deleted.isPresent()) {
      audit.tokenDeleted(
          Instant.ofEpochMilli(clock.millis()),
          token.corp(),
          actor.email(),
          id,
          token.name(),
          token.ownerEmail());
    }
  }
}
