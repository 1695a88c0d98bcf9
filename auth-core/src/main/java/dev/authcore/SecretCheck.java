package dev.authcore;

import org.jspecify.annotations.Nullable;

/**
 * The one check of a presented secret against a token cache entry, shared by the verifier and the
 * revocation of leaked tokens, so both cost the same whether the id exists or not.
 *
 * <p>The token cache holds tokens and, for the unknown-id bound, the ids the store did not have
 * ({@link MissingToken}, with a hash nothing matches). Both are found by the same lookup ({@link
 * TokenCache#cachedToken}; an id with no entry is read from the store first, which caches its
 * answer either way) and checked here by the same steps: one hash of the presented secret and one
 * constant-time comparison, reading the same fields. Only after the check does the caller tell a
 * known id from an unknown one, by the entry's class. Thread-safe.
 */
final class SecretCheck {
  private final TokenFormat format;

  SecretCheck(TokenFormat format) {
    this.format = format;
  }

  /**
   * Whether the secret that {@link TokenFormat#parse} left in {@code scratch} is a secret of {@code
   * entry}: its current secret, or its previous one while the grace period of its last {@linkplain
   * TokenIssuer#rotate rotation} runs at {@code now} ({@code now < previousValidUntil}); a {@link
   * MissingToken} matches nothing. Hashes and compares in constant time in every case. Sets {@link
   * Scratch#matchedPrevious} to whether the previous secret matched.
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
  boolean matches(TokenEntry entry, long now, Scratch scratch) {
    int from = format.secretStart();
    boolean current =
        SecretHasher.matches(scratch, from, TokenFormat.SECRET_LENGTH, entry.key, entry.hash);
    boolean previous = false;
    // previousValidUntilMillis is Long.MIN_VALUE without a previous secret: one comparison.
    if (now < entry.previousValidUntilMillis) {
      byte @Nullable [] previousHash = entry.previousHash;
      if (previousHash != null) {
        byte[] presented = scratch.digest;
        if (entry.previousKey != entry.key) {
          presented = scratch.previousDigest;
          SecretHasher.hashInto(
              scratch, from, TokenFormat.SECRET_LENGTH, entry.previousKey, presented);
        }
        previous = SecretHasher.equalHashes(presented, previousHash);
      }
    }
    scratch.matchedPrevious = previous & !current;
    return current | previous;
  }
}
