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
    List<String> recentIps) {

  /** How many distinct recent client addresses are kept per token. */
  public static final int MAX_RECENT_IPS = 10;

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if a field other than {@code expiresAt} and {@code lastUsed} is
   *     null
   * @throws IllegalArgumentException if a field is out of its documented range
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
        id, corp, ownerEmail, name, created, expiresAt, hash, lastUsed, recentIps);
  }
}
