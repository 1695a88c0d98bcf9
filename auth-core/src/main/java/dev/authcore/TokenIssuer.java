package dev.authcore;

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
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
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
 * <p><b>Rotating.</b> {@link #rotate} replaces a token's secret and keeps everything else, so a job
 * can move to the new secret while the previous one keeps working for a grace period. The same
 * users may rotate a token as may delete it.
 *
 * <p><b>Revoking leaked tokens.</b> Anyone who finds tokens where they should not be (a public
 * repository, a paste, a ticket, a log) may report the text, without an account: {@link
 * #revokeLeaked} deletes each token in it whose secret verifies, and nothing else.
 *
 * <p>Every success publishes an {@link AuditEvent}. Caller mistakes throw {@link
 * InvalidInputException} (bad name or lifetime), {@link NotFoundException} (unknown actor), {@link
 * ConflictException} (name taken), {@link PermissionDeniedException} (not allowed) or {@link
 * TokenLimitExceededException}; a store failure throws {@link StoreUnavailableException}. In every
 * failure case nothing changed, except that a leak report the store fails part-way through keeps
 * what it revoked before the failure. Thread-safe.
 */
public final class TokenIssuer {
  private static final int MAX_ID_ATTEMPTS = 5;

  /** Longest grace period of a rotation: 7 days. */
  public static final Duration MAX_ROTATION_GRACE = Duration.ofDays(7);

  /** Rotations attempted while other rotations of the same token keep winning the race. */
  private static final int MAX_ROTATE_ATTEMPTS = 10;

  private final Actors actors;
  private final TokenStore store;
  private final TokenFormat format;
  private final SecretHasher hasher;
  private final SecureRandom random;
  private final InstantSource clock;
  private final int maxTokensPerUser;
  private final TokenCache cache;
  private final SecretCheck secrets;
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
      SecretCheck secrets,
      AuditPublisher audit) {
    this.actors = actors;
    this.store = store;
    this.format = format;
    this.hasher = hasher;
    this.random = random;
    this.clock = clock;
    this.maxTokensPerUser = maxTokensPerUser;
    this.cache = cache;
    this.secrets = secrets;
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
    Instant now = Instant.ofEpochMilli(clock.millis());
    if (settings.restricted()
        && !PermissionGrant.holdersAt(store.permissionGrants(actor.corp()), now)
            .contains(actor.emailKey())) {
      throw new PermissionDeniedException(
          "corp "
              + actor.corp()
              + " restricts tokens to permitted users and "
              + actor.email()
              + " does not hold the token permission; an owner can grant it");
    }
    Instant created = now;
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
          cache.forgetToken(id);
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
    TokenRecord token = Actors.changeableToken(store, actor, id, "delete");
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

  /**
   * Replaces the secret of a token without breaking the jobs that use it: the token keeps its id,
   * name, owner (creator) and creation instant, so its expiry still counts from its creation; it
   * gets a new secret, returned once as at issue; and its previous secret keeps working until
   * {@code now + grace}, then never again.
   *
   * <p><b>Who.</b> A user rotates their own tokens; an owner rotates any token of their corp (for
   * an incident). Anyone else is refused exactly as {@link #delete} refuses them: a token of
   * another corp is not found, another user's token in the corp is not permitted. A rotation
   * changes nothing else: it is not a new token, so the per-user limit is unaffected, and an
   * expired or disabled token stays so (a corp restricted to permitted users does not stop its
   * users from rotating, since rotating gives no access the token does not have).
   *
   * <p><b>The grace period</b> is 0 to {@link #MAX_ROTATION_GRACE}, whole milliseconds. With 0 the
   * previous secret stops at once. Otherwise it verifies while the clock is before {@code
   * previousValidUntil} (exclusive: at exactly that instant it fails), with the same answers as the
   * current secret, and each use publishes {@link AuditEvent.PreviousSecretUsed} so owners see
   * which jobs still run on it. At most two secrets are valid at once, the current one and one
   * previous: rotating again during a grace period ends the older grace at once, and the secret
   * being replaced becomes the previous one (under the new grace, or none).
   *
   * <p><b>Consistency.</b> The store replaces the secret in one atomic step, compared and set on
   * the hash this call read, so two concurrent rotations cannot both keep their previous secret:
   * the later one reads the token again and replaces the earlier one's new secret, whose previous
   * secret is then gone. When this returns, this node verifies only the new secret (and the
   * previous one during its grace); other nodes sharing the store drop their cached record when
   * their change feed hears of the rotation, and in any case within the cache bound.
   *
   * <p>Publishes {@link AuditEvent.TokenRotated} (the actor and the grace period's end, never a
   * secret).
   *
   * @param actorEmail the user who rotates: the token's owner, or an owner of its corp
   * @param id the token to rotate
   * @param grace how long the previous secret keeps working, {@link Duration#ZERO} to {@link
   *     #MAX_ROTATION_GRACE}
   * @return the token with its new plaintext, shown this one time, and the grace period's end
   * @throws NullPointerException if an argument is null
   * @throws InvalidInputException if the actor email is malformed, or the grace period is negative,
   *     longer than 7 days or not whole milliseconds
   * @throws NotFoundException if the actor is unknown, or the actor's corp has no token with this
   *     id (also when it is deleted during the rotation)
   * @throws PermissionDeniedException if the token is another user's and the actor is not an owner
   * @throws ConflictException of kind {@code CONCURRENT_CHANGE} if other rotations of the same
   *     token kept winning the race; nothing changed by this call
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public RotatedToken rotate(String actorEmail, TokenId id, Duration grace) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(grace, "grace");
    UserAccount actor = actors.actor(actorEmail);
    checkGrace(grace);
    TokenRecord current = Actors.changeableToken(store, actor, id, "rotate");
    // The previous secret is valid while now < rotated + grace: at exactly that instant it fails.
    Instant rotated = Instant.ofEpochMilli(clock.millis());
    @Nullable Instant previousValidUntil = grace.isZero() ? null : rotated.plus(grace);
    for (int attempt = 0; attempt < MAX_ROTATE_ATTEMPTS; attempt++) {
      String plaintext = format.mint(id, random);
      Optional<TokenRecord> done =
          store.rotateSecret(
              id,
              current.hash(),
              hasher.hashForStorage(plaintext, format.secretStart(), TokenFormat.SECRET_LENGTH),
              rotated,
              previousValidUntil);
      if (done.isPresent()) {
        // Evicted here, as by delete: a store need not tell this node of its own change.
        cache.forgetToken(id);
        TokenRecord token = done.get();
        audit.tokenRotated(rotated, actor.email(), token, previousValidUntil);
        return new RotatedToken(
            new IssuedToken(
                id,
                token.corp(),
                token.ownerEmail(),
                token.name(),
                token.created(),
                token.expiresAt(),
                plaintext),
            rotated,
            previousValidUntil);
      }
      // Deleted meanwhile, or rotated by someone else: read it again.
      current = Actors.changeableToken(store, actor, id, "rotate");
    }
    throw new ConflictException(
        ConflictException.Kind.CONCURRENT_CHANGE,
        "token "
            + id
            + " was rotated by others "
            + MAX_ROTATE_ATTEMPTS
            + " times while this rotation was being saved; nothing changed, try again");
  }

  private static void checkGrace(Duration grace) {
    if (grace.isNegative() || grace.compareTo(MAX_ROTATION_GRACE) > 0) {
      throw new InvalidInputException(
          "grace", "rotation grace period must be 0 to 7 days (10080 minutes), got " + grace);
    }
    if (grace.toNanosPart() % 1_000_000 != 0) {
      throw new InvalidInputException(
          "grace", "rotation grace period must be whole milliseconds, got " + grace);
    }
  }

  /**
   * Revokes every token of this deployment found in {@code text} whose secret verifies: the answer
   * to a token found where it should not be. Anyone may call it, as secret-scanning services report
   * what they find; it takes no actor and checks no credentials, since showing a token's secret is
   * the proof that one holds it.
   *
   * <p><b>What is found.</b> Every {@code <prefix>_} of this deployment followed by the id, the
   * secret and the checksum (49 base62 characters) whose checksum holds, wherever it stands: inside
   * a word, a URL, JSON, quotes, several to a line. A token counts once however often the text
   * holds it. The text must hold the token exactly as issued: a token split across lines or by any
   * other character, with its prefix changed (in case or otherwise) or cut, or of another
   * deployment's prefix is not found; join the pieces before reporting. With a checksum of 32 bits,
   * random text passes for a token about once in four billion candidates.
   *
   * <p><b>What is revoked.</b> Each found token is looked up and its secret hashed and compared
   * exactly as {@link TokenVerifier#verify} does it (through the same cache, against a decoy hash
   * for an unknown id, in constant time), so the time a report takes does not tell whether an id
   * exists. A token whose secret matches is deleted, whatever its status (expired, disabled,
   * outside an allow list): it leaked, and a policy change would bring it back. A token whose
   * secret does not match revokes nothing, so no one can revoke another's token by knowing or
   * guessing its id; nor does a token already deleted, or one whose owner is no longer in the user
   * directory (it verifies as unknown; delete it from the console). A token's previous secret
   * during the grace period of its last {@linkplain #rotate rotation} verifies, so it revokes the
   * token too (the new secret with it): a leaked secret that still works is a leak, whichever it
   * is; after the grace period it revokes nothing.
   *
   * <p><b>A revocation is a deletion.</b> When this returns, each revoked token no longer verifies
   * on this node (its cache entry is dropped here, as by {@link #delete}); other nodes sharing the
   * store hear of it through the store's change feed, and in any case within the cache bound. It
   * frees a place under its owner's token limit. Each revocation publishes {@link
   * AuditEvent.TokenLeaked} (the token's id, corp, name and owner, and the source label, never the
   * token), so the owner and the token's user can be told; found tokens that revoke nothing publish
   * nothing.
   *
   * <p><b>The answer</b> counts what was found and what this call revoked, and never says which. A
   * wrong secret for an existing id and an unknown id give the same answer: found, not revoked. A
   * token revoked by an earlier report (or by a concurrent one, which then counts it) is found and
   * not revoked again, so reporting the same text twice is safe.
   *
   * <p><b>Bounded work.</b> The text is read in one pass, in time linear in its length, and is at
   * most {@value LeakTexts#MAX_TEXT_LENGTH} characters. At most {@value LeakTexts#MAX_TOKENS}
   * distinct tokens are examined per report (one lookup, one hash each, as many as that many
   * verifications): a text holding more is refused whole, nothing revoked, so that {@code found}
   * and {@code revoked} always describe the whole text. Split such a text into parts. Unknown ids
   * are remembered for the deployment's unknown-id bound, so repeating a report of made-up tokens
   * does not reach the store again meanwhile.
   *
   * <p><b>The source label</b> says where the text was found (a URL, a ticket): {@code null} for
   * none, otherwise 1 to {@value LeakTexts#MAX_SOURCE_LENGTH} characters, visible ones and spaces
   * only (no control, line-break, formatting or other invisible character), not all spaces. It goes
   * into each event as given, except that a token or anything that looks like a secret in it is
   * redacted as {@link SecretRedactor#redact} does: it is not refused, since stopping a leaked
   * token matters more than its label, and the label is not searched for tokens to revoke.
   *
   * <p><b>Failures.</b> Bad input (the text too long or holding too many tokens, a bad source)
   * throws {@link InvalidInputException} before anything is looked up: nothing is revoked. A store
   * that cannot be reached throws {@link StoreUnavailableException}, possibly part-way: the tokens
   * revoked before the failure stay revoked and their events are published; the others are not
   * revoked. Report the text again once the store is back.
   *
   * <p>Protects against: revoking a token without its secret, learning which ids exist (from the
   * answer or its timing), a report that costs more than the verification of {@value
   * LeakTexts#MAX_TOKENS} tokens. Does not protect against: a caller revoking a token whose secret
   * they hold, which is the point; a flood of reports, which a gateway limits as it limits any
   * unauthenticated endpoint.
   *
   * @param text the text where the tokens were found
   * @param source where the text was found, or {@code null}
   * @return how many tokens were found and how many revoked
   * @throws NullPointerException if {@code text} is null
   * @throws InvalidInputException if the text is longer than {@value LeakTexts#MAX_TEXT_LENGTH}
   *     characters or holds more than {@value LeakTexts#MAX_TOKENS} distinct tokens, or the source
   *     breaks its rules; nothing was revoked
   * @throws StoreUnavailableException if the store cannot be reached; what was revoked before stays
   *     revoked
   */
  public LeakReport revokeLeaked(CharSequence text, @Nullable String source) {
    Objects.requireNonNull(text, "text");
    @Nullable String label = LeakTexts.checkSource(source);
    List<String> found = LeakTexts.tokensIn(format, text, Scratch.get());
    int revoked = 0;
    for (String token : found) {
      Scratch scratch = Scratch.get();
      TokenId id = Objects.requireNonNull(format.parse(token, scratch), "found tokens parse");
      long now = clock.millis();
      @Nullable TokenEntry cached = cache.cachedToken(id, now, scratch);
      TokenEntry entry = cached != null ? cached : cache.loadUncached(id, now);
      if (!secrets.matches(entry, now, scratch) || !(entry instanceof CachedToken)) {
        continue;
      }
      Optional<TokenRecord> deleted = store.delete(id);
      // Evicted here, as by delete: a store need not tell this node of its own change.
      cache.forgetToken(id);
      if (deleted.isPresent()) {
        revoked++;
        audit.tokenLeaked(Instant.ofEpochMilli(clock.millis()), deleted.get(), label);
      }
    }
    return new LeakReport(found.size(), revoked);
  }
}
