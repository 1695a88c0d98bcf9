package dev.authcore;

import dev.authcore.model.TokenId;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/**
 * The one check of a presented secret against a token looked up in the cache, shared by the
 * verifier and the revocation of leaked tokens, so both cost the same whether the id exists or not.
 *
 * <p>An unknown id is hashed and compared against a decoy, as a known one is against its hash. A
 * wrong secret for a known id also makes the lookup of the ids seen missing that an unknown id made
 * when the token cache missed, so the two failures cost the same. Thread-safe.
 */
final class SecretCheck {
  private final TokenFormat format;
  private final SecretHasher hasher;
  private final TokenCache cache;

  /** Hash compared against for unknown ids: random, so it matches nothing. */
  private final byte[] decoyHash = new byte[32];

  SecretCheck(TokenFormat format, SecretHasher hasher, TokenCache cache, SecureRandom random) {
    this.format = format;
    this.hasher = hasher;
    this.cache = cache;
    random.nextBytes(decoyHash);
  }

  /**
   * Whether the secret that {@link TokenFormat#parse} left in {@code scratch} is a secret of {@code
   * cached}, the token {@code id} as the cache gave it ({@code null}: unknown, which never
   * matches): its current secret, or its previous one while the grace period of its last rotation
   * runs at {@code now} ({@code now < previousValidUntil}). Hashes and compares in constant time in
   * every case. Sets {@link Scratch#matchedPrevious} to whether the previous secret matched.
   *
   * <p>Without a grace period running this is one hash and one comparison, as before rotation
   * existed. During one, the presented secret's hash is compared with both stored hashes every
   * time, whichever matches (no early exit), and the two answers are combined without a branch, so
   * neither the time nor the outcome tells a caller which secret matched. When the previous secret
   * was hashed under another key (the deployment's hashing key changed between issue and rotation),
   * the presented secret is also hashed under that key. That a grace period runs, which a caller
   * with a wrong secret could time, is not secret.
   */
  @SuppressWarnings("ShortCircuitBoolean") // both answers are combined without a branch, on purpose
  boolean matches(@Nullable CachedToken cached, TokenId id, long now, Scratch scratch) {
    int from = format.secretStart();
    boolean current =
        SecretHasher.matches(
            scratch,
            from,
            TokenFormat.SECRET_LENGTH,
            cached == null ? hasher.current() : cached.key,
            cached == null ? decoyHash : cached.hash);
    boolean previous = false;
    // previousValidUntilMillis is Long.MIN_VALUE without a previous secret: one comparison.
    if (cached != null && now < cached.previousValidUntilMillis) {
      byte @Nullable [] previousHash = cached.previousHash;
      if (previousHash != null) {
        byte[] presented = scratch.digest;
        if (cached.previousKey != cached.key) {
          presented = scratch.previousDigest;
          SecretHasher.hashInto(
              scratch, from, TokenFormat.SECRET_LENGTH, cached.previousKey, presented);
        }
        previous = SecretHasher.equalHashes(presented, previousHash);
      }
    }
    boolean matches = current | previous;
    scratch.matchedPrevious = previous & !current;
    if (cached != null && !matches) {
      // An unknown id cost a second lookup (the cache of ids seen missing, after the token cache
      // missed). A wrong secret for a known id pays for the same lookup here; a caller holding the
      // secret never comes this way.
      scratch.balanceSink += cache.seenMissing(id) ? 1 : 0;
    }
    return cached != null && matches;
  }
}
