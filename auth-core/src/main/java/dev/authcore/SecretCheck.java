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
   * Whether the secret that {@link TokenFormat#parse} left in {@code scratch} is the secret of
   * {@code cached}, the token {@code id} as the cache gave it ({@code null}: unknown, which never
   * matches). Hashes and compares in constant time in every case.
   */
  boolean matches(@Nullable CachedToken cached, TokenId id, Scratch scratch) {
    boolean matches =
        SecretHasher.matches(
            scratch,
            format.secretStart(),
            TokenFormat.SECRET_LENGTH,
            cached == null ? hasher.current() : cached.key,
            cached == null ? decoyHash : cached.hash);
    if (cached != null && !matches) {
      // An unknown id cost a second lookup (the cache of ids seen missing, after the token cache
      // missed). A wrong secret for a known id pays for the same lookup here; a caller holding the
      // secret never comes this way.
      scratch.balanceSink += cache.seenMissing(id) ? 1 : 0;
    }
    return cached != null && matches;
  }
}
