package dev.authcore;

import dev.authcore.internal.Base62;
import dev.authcore.model.TokenId;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The token text: {@code <prefix>_<id><secret><checksum>}, all base62 after the underscore.
 *
 * <ul>
 *   <li>prefix: chosen per deployment, 1 to 16 lower-case letters and digits starting with a
 *       letter, so leaked tokens are easy to recognise and scan for;
 *   <li>id: the 64-bit public {@link TokenId}, {@value TokenId#LENGTH} characters;
 *   <li>secret: {@value #SECRET_LENGTH} uniformly random characters, 190.5 bits;
 *   <li>checksum: CRC32 of everything before it (prefix and underscore included, as ASCII), {@value
 *       Base62#INT_WIDTH} characters, so a mistyped token is rejected before any lookup.
 * </ul>
 */
final class TokenFormat {
  static final int SECRET_LENGTH = 32;
  static final int MAX_PREFIX_LENGTH = 16;

  private final String prefix;
  private final int idStart;
  private final int secretStart;
  private final int checksumStart;
  private final int length;

  TokenFormat(String prefix) {
    checkPrefix(prefix);
    this.prefix = prefix;
    this.idStart = prefix.length() + 1;
    this.secretStart = idStart + TokenId.LENGTH;
    this.checksumStart = secretStart + SECRET_LENGTH;
    this.length = checksumStart + Base62.INT_WIDTH;
  }

  static void checkPrefix(String prefix) {
    boolean ok =
        !prefix.isEmpty()
            && prefix.length() <= MAX_PREFIX_LENGTH
            && prefix.charAt(0) >= 'a'
            && prefix.charAt(0) <= 'z';
    for (int i = 0; ok && i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "token prefix must be 1 to "
              + MAX_PREFIX_LENGTH
              + " lower-case letters and digits starting with a letter (e.g. \"acme\"), got \""
              + dev.authcore.internal.LogSafe.escape(prefix)
              + "\"");
    }
  }

  String prefix() {
    return prefix;
  }

  int length() {
    return length;
  }

  int secretStart() {
    return secretStart;
  }

  /** A new token text for {@code id} with a secret drawn from {@code random}. */
  String mint(TokenId id, RandomGenerator random) {
    StringBuilder out = new StringBuilder(length);
    out.append(prefix).append('_');
    id.appendTo(out);
    Base62.appendRandom(out, random, SECRET_LENGTH);
    CRC32 crc = new CRC32();
    crc.update(out.toString().getBytes(StandardCharsets.US_ASCII));
    Base62.appendUnsigned(out, crc.getValue(), Base62.INT_WIDTH);
    return out.toString();
  }

  /**
   * The id of {@code token} if it is well-formed and its checksum holds, else {@code null}. Uses
   * {@code scratch} for the characters and the checksum; allocates only the returned id.
   *
   * <p>The token's characters are copied once, as ASCII, into {@code scratch.ascii}, where the hash
   * of the same verification reads the secret: a character outside ASCII anywhere makes the token
   * malformed, so no other spelling of a token (such as a character whose low byte is a base62
   * digit) can reach the hash.
   */
  @Nullable TokenId parse(String token, Scratch scratch) {
    if (token.length() != length || !token.startsWith(prefix) || !scratch.copyAscii(token)) {
      return null;
    }
    byte[] ascii = scratch.ascii;
    if (ascii[idStart - 1] != '_' || !Base62.allDigits(ascii, idStart, length)) {
      return null;
    }
    // Six base62 digits are below 62^6 < 2^36.
    long checksum = Base62.decodeDigits(ascii, checksumStart, Base62.INT_WIDTH);
    CRC32 crc = scratch.crc;
    crc.reset();
    crc.update(ascii, 0, checksumStart);
    if (checksum != crc.getValue()) {
      return null;
    }
    long bits = Base62.decodeDigits64(ascii, idStart);
    // INVALID is also 2^64 - 1, the one id never issued.
    return bits == Base62.INVALID ? null : TokenId.fromLong(bits);
  }
}
