package dev.authcore.store.jdbc;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Token records for the store tests. */
final class Records {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private Records() {}

  /** A hash derived from {@code seed}, so records differ in their hash too. */
  static SecretHash hash(long seed) {
    byte[] bytes = new byte[SecretHash.LENGTH];
    Arrays.fill(bytes, (byte) seed);
    ByteBuffer.wrap(bytes).putLong(seed);
    return seed % 2 == 0
        ? SecretHash.of(SecretHash.Algorithm.SHA256, null, bytes)
        : SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k" + (seed & 7), bytes);
  }

  static TokenRecord token(long id, String corp, String email, String name, Instant created) {
    return token(id, corp, email, name, created, null);
  }

  static TokenRecord token(
      long id, String corp, String email, String name, Instant created, @Nullable Instant expires) {
    return TokenRecord.issued(TokenId.fromLong(id), corp, email, name, created, expires, hash(id));
  }
}
