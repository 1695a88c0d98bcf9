package dev.authcore.spi;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.internal.Corps;
import dev.authcore.internal.Emails;
import dev.authcore.model.TokenId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token as a store keeps it: everything but the secret, which is never stored.
 *
 * @param id the public id
 * @param corp the corp of the token's owner
 * @param ownerEmail the owner's email as given at issue
 * @param name the token's name, unique per owner ignoring case
 * @param created when it was issued, to the millisecond
 * @param expiresAt the token's own expiry, set at issue, or {@code null}; the corp's expiry policy
 *     applies on top (the earlier wins)
 * @param hash the hash of the secret
 * @param lastUsed the last successful verification written to the store, or {@code null}
 * @param recentIps the most recent distinct client addresses, newest first, at most {@link
 *     #MAX_RECENT_IPS}, in canonical text form
 * @param rotated when the secret was last replaced ({@code TokenIssuer.rotate}), or {@code null} if
 *     never; the id, name, owner and creation instant are kept by a rotation
 * @param previousHash the hash of the secret before the last rotation while it may still be used,
 *     or {@code null} when the last rotation gave no grace period (or there was none); a store
 *     keeps it as written, also after its grace ended, until the next rotation replaces it
 * @param previousValidUntil the end of the previous secret's grace period, set exactly when {@code
 *     previousHash} is: the previous secret verifies while the clock is before this instant and
 *     never at or after it
 * @param allowedIps the token's own IP allow list as its canonical text ({@code
 *     IpAllowList.toText()}), or {@code null} when it has none; a request must pass it as well as
 *     the corp's list. Empty text is read as {@code null}. Kept by a rotation.
 */
public record TokenRecord(
    TokenId id,
    String corp,
    String ownerEmail,
    String name,
    Instant created,
    @Nullable Instant expiresAt,
    SecretHash hash,
    @Nullable Instant lastUsed,
    List<String> recentIps,
    @Nullable Instant rotated,
    @Nullable SecretHash previousHash,
    @Nullable Instant previousValidUntil,
    @Nullable String allowedIps) {

  /** How many distinct recent client addresses are kept per token. */
  public static final int MAX_RECENT_IPS = 10;

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if a field other than {@code expiresAt} and {@code lastUsed} is
   *     null
   * @throws IllegalArgumentException if a field is out of its documented range, or {@code
   *     previousHash} and {@code previousValidUntil} are not both set or both {@code null}, or they
   *     are set without {@code rotated}
   */
  public TokenRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hash, "hash");
    Corps.check(corp);
    Emails.check(ownerEmail);
    checkArgument(!name.isEmpty(), "token name must not be empty");
    checkArgument(
        created.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).equals(created),
        "created must be whole milliseconds: %s",
        created);
    checkArgument(
        recentIps.size() <= MAX_RECENT_IPS,
        "at most %s recent IPs, got %s",
        MAX_RECENT_IPS,
        recentIps.size());
    recentIps = List.copyOf(recentIps);
    checkArgument(
        (previousHash == null) == (previousValidUntil == null),
        "previousHash and previousValidUntil are set together or not at all");
    checkArgument(
        previousHash == null || rotated != null,
        "a previous secret's hash needs the rotation that replaced it (rotated)");
    if (allowedIps != null && allowedIps.isEmpty()) {
      allowedIps = null;
    }
  }

  /**
   * A token without its own allow list: as the canonical constructor with {@code allowedIps} {@code
   * null}.
   */
  public TokenRecord(
      TokenId id,
      String corp,
      String ownerEmail,
      String name,
      Instant created,
      @Nullable Instant expiresAt,
      SecretHash hash,
      @Nullable Instant lastUsed,
      List<String> recentIps,
      @Nullable Instant rotated,
      @Nullable SecretHash previousHash,
      @Nullable Instant previousValidUntil) {
    this(
        id,
        corp,
        ownerEmail,
        name,
        created,
        expiresAt,
        hash,
        lastUsed,
        recentIps,
        rotated,
        previousHash,
        previousValidUntil,
        null);
  }

  /**
   * A token never rotated: as the canonical constructor with {@code rotated}, {@code previousHash}
   * and {@code previousValidUntil} all {@code null}.
   */
  public TokenRecord(
      TokenId id,
      String corp,
      String ownerEmail,
      String name,
      Instant created,
      @Nullable Instant expiresAt,
      SecretHash hash,
      @Nullable Instant lastUsed,
      List<String> recentIps) {
    this(
        id,
        corp,
        ownerEmail,
        name,
        created,
        expiresAt,
        hash,
        lastUsed,
        recentIps,
        null,
        null,
        null,
        null);
  }

  /** A newly issued token: never used yet. */
  public static TokenRecord issued(
      TokenId id,
      String corp,
      String ownerEmail,
      String name,
      Instant created,
      @Nullable Instant expiresAt,
      SecretHash hash) {
    return new TokenRecord(id, corp, ownerEmail, name, created, expiresAt, hash, null, List.of());
  }

  /** The owner's email as a lookup key (ASCII letters lower-cased). */
  public String ownerKey() {
    return Emails.key(ownerEmail);
  }

  /** This record with usage replaced. */
  public TokenRecord withUsage(@Nullable Instant lastUsed, List<String> recentIps) {
    return new TokenRecord(
        id,
        corp,
        ownerEmail,
        name,
        created,
        expiresAt,
        hash,
        lastUsed,
        recentIps,
        rotated,
        previousHash,
        previousValidUntil,
        allowedIps);
  }

  /**
   * This record with its own allow list replaced by {@code allowedIps} (canonical text; {@code
   * null} or empty for none). Everything else is kept.
   */
  public TokenRecord withAllowedIps(@Nullable String allowedIps) {
    return new TokenRecord(
        id,
        corp,
        ownerEmail,
        name,
        created,
        expiresAt,
        hash,
        lastUsed,
        recentIps,
        rotated,
        previousHash,
        previousValidUntil,
        allowedIps);
  }

  /**
   * This record after a rotation at {@code rotated} to the secret hashed as {@code replacement}:
   * with a grace period ({@code previousValidUntil} set) the current hash becomes the previous one,
   * replacing any earlier previous one; without, no previous hash is kept. Usage and the token's
   * own allow list are kept.
   */
  public TokenRecord withRotation(
      SecretHash replacement, Instant rotated, @Nullable Instant previousValidUntil) {
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(rotated, "rotated");
    return new TokenRecord(
        id,
        corp,
        ownerEmail,
        name,
        created,
        expiresAt,
        replacement,
        lastUsed,
        recentIps,
        rotated,
        previousValidUntil == null ? null : hash,
        previousValidUntil,
        allowedIps);
  }
}
