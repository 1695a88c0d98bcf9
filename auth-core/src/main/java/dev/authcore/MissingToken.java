package dev.authcore;

import dev.authcore.model.TokenId;

/**
 * A token id the store did not have when read at {@link #loadedMillis}, remembered for the
 * unknown-id bound so that repeated lookups of it do not reach the store. It holds a decoy hash
 * that no secret matches, under the deployment's current key, so checking a secret against it costs
 * what checking one against a token costs.
 */
final class MissingToken extends TokenEntry {
  MissingToken(
      TokenId id,
      long seenMillis,
      long unknownIdBoundMillis,
      byte[] decoyHash,
      SecretHasher hasher) {
    super(
        id,
        seenMillis,
        unknownIdBoundMillis,
        decoyHash,
        hasher.current(),
        null,
        null,
        Long.MIN_VALUE);
  }

  @Override
  public String toString() {
    return "MissingToken[" + id + ", seen at " + loadedMillis + "]";
  }
}
