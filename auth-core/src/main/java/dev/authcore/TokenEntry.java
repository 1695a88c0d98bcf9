package dev.authcore;

import dev.authcore.model.TokenId;
import org.jspecify.annotations.Nullable;

/**
 * An entry of the token cache: a token read from the store ({@link CachedToken}), or an id the
 * store did not have ({@link MissingToken}). A presented secret is checked against either in the
 * same way, reading the same fields, so the one lookup and the one check of a verification take the
 * same steps whether the id exists or not; only then does the entry's class tell the two apart.
 */
abstract class TokenEntry extends CacheEntry {
  final TokenId id;

  /** The hash a presented secret must match; for a missing id, one that nothing matches. */
  final byte[] hash;

  /** The key {@link #hash} was made with ({@code null}: unkeyed SHA-256). */
  final SecretHasher.@Nullable Key key;

  /**
   * The hash of the secret before the last rotation while a grace period was given, else {@code
   * null}; it matches only while the clock is before {@link #previousValidUntilMillis}.
   */
  final byte @Nullable [] previousHash;

  final SecretHasher.@Nullable Key previousKey;

  /**
   * The end of the previous secret's grace period, exclusive; {@code Long.MIN_VALUE} when there is
   * no previous secret, so that one comparison with the clock decides both.
   */
  final long previousValidUntilMillis;

  /**
   * The age up to which the entry is used as it is, without a look at the store: three quarters of
   * the cache bound for a token (then it is refreshed), the unknown-id bound for a missing id.
   */
  final long freshForMillis;

  TokenEntry(
      TokenId id,
      long loadedMillis,
      long freshForMillis,
      byte[] hash,
      SecretHasher.@Nullable Key key,
      byte @Nullable [] previousHash,
      SecretHasher.@Nullable Key previousKey,
      long previousValidUntilMillis) {
    super(loadedMillis);
    this.id = id;
    this.freshForMillis = freshForMillis;
    this.hash = hash;
    this.key = key;
    this.previousHash = previousHash;
    this.previousKey = previousKey;
    this.previousValidUntilMillis = previousValidUntilMillis;
  }
}
