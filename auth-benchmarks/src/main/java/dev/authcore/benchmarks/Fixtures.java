package dev.authcore.benchmarks;

import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenPage;
import dev.authcore.console.TokenQuery;
import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * Benchmark fixtures: token texts, hashes and records made here, independently of auth-core's own
 * minting, so that a setup can put a million records straight into a store without going through
 * the per-user limit. Every setup that uses them first checks that auth-core accepts what they made
 * (a token that does not verify fails the setup, and so the smoke run).
 *
 * <p>Token text: {@code <prefix>_<id><secret><checksum>}, the id as 11 base62 characters, a
 * 32-character base62 secret, and the CRC32 of everything before the checksum as 6 base62
 * characters. Secrets come from a seeded {@link SplittableRandom}: fixtures, not credentials.
 */
final class Fixtures {
  /** The token prefix of every benchmark deployment. */
  static final String PREFIX = "acme";

  /** The corp of single-corp fixtures. */
  static final String CORP = "bench-corp";

  /** Length of a token's secret part, in characters. */
  static final int SECRET_LENGTH = 32;

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Length of a token's checksum part, in characters. */
  static final int CHECKSUM_WIDTH = 6;

  /** Where a token's id starts in its text: after the prefix and its separator. */
  static final int ID_START = PREFIX.length() + 1;

  private static final int SECRET_START = ID_START + TokenId.LENGTH;

  /** A fixed creation instant, so records never expire under any policy a benchmark sets. */
  static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

  private Fixtures() {}

  /**
   * The console cursor after the first {@code rows} rows of {@code owner}'s corp-wide listing,
   * found by paging through it.
   *
   * @throws IllegalStateException if the listing ends before that row
   */
  static String cursorAt(TokenConsole console, String owner, int rows) {
    @Nullable String cursor = null;
    for (int read = 0; read < rows; read += TokenQuery.MAX_LIMIT) {
      TokenPage page =
          console.listCorp(
              owner,
              TokenQuery.all()
                  .withLimit(Math.min(TokenQuery.MAX_LIMIT, rows - read))
                  .withCursor(cursor));
      cursor = page.nextCursor();
      if (cursor == null) {
        throw new IllegalStateException("the listing ended before row " + rows);
      }
    }
    if (cursor == null) {
      throw new IllegalStateException("no cursor after " + rows + " rows");
    }
    return cursor;
  }

  /** The address every benchmark request comes from: 192.0.2.10 (TEST-NET-1, no lookup). */
  static InetAddress client() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 10});
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  /**
   * An allow list of {@code entries} lines (at least 2) that holds {@link #client()}: IPv4 /24
   * blocks, single IPv4 addresses, IPv4 ranges and IPv6 /48 blocks, none adjacent to another (so
   * the matcher cannot merge them into fewer ranges), and {@code 192.0.2.0/24}.
   */
  static String allowListText(int entries) {
    if (entries < 2 || entries > 20_000) {
      throw new IllegalArgumentException("entries must be 2 to 20,000, got " + entries);
    }
    StringBuilder text = new StringBuilder("# benchmark allow list\n");
    for (int i = 0; i < entries - 1; i++) {
      int a = i / 128;
      int b = 2 * (i % 128); // even third bytes only: no two entries touch
      if (i % 50 == 49) {
        text.append("2001:db8:").append(Integer.toHexString(2 * i)).append("::/48");
      } else if (i % 10 < 7) {
        text.append("10.").append(a).append('.').append(b).append(".0/24");
      } else if (i % 10 < 9) {
        text.append("172.16.").append(a).append('.').append(b + 1);
      } else {
        String block = "172.20." + b + ".";
        text.append(block).append(10 * a + 1).append('-').append(block).append(10 * a + 5);
      }
      text.append('\n');
    }
    return text.append("192.0.2.0/24\n").toString();
  }

  /** An address outside every {@link #allowListText} list: 198.51.100.7 (TEST-NET-2). */
  static InetAddress outsider() {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 7});
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  /** A random base62 secret of {@value #SECRET_LENGTH} characters. */
  static String secret(SplittableRandom random) {
    char[] out = new char[SECRET_LENGTH];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }

  /** A random id. */
  static TokenId id(SplittableRandom random) {
    long bits;
    do {
      bits = random.nextLong();
    } while (bits == -1L); // reserved by TokenId
    return TokenId.fromLong(bits);
  }

  /** The text of a token with this id and secret, with its checksum. */
  static String tokenText(TokenId id, String secret) {
    StringBuilder out = new StringBuilder(SECRET_START + SECRET_LENGTH + CHECKSUM_WIDTH);
    out.append(PREFIX).append('_');
    id.appendTo(out);
    out.append(secret);
    CRC32 crc = new CRC32();
    crc.update(out.toString().getBytes(StandardCharsets.US_ASCII));
    char[] digits = new char[CHECKSUM_WIDTH];
    long rest = crc.getValue();
    for (int i = CHECKSUM_WIDTH - 1; i >= 0; i--) {
      digits[i] = ALPHABET.charAt((int) (rest % ALPHABET.length()));
      rest /= ALPHABET.length();
    }
    return out.append(digits).toString();
  }

  /** The id part of a token made by {@link #tokenText} or issued by auth-core. */
  static TokenId idOf(String token) {
    return TokenId.parse(token.substring(PREFIX.length() + 1, SECRET_START));
  }

  /** The same token with another (well-formed, checksummed) secret. */
  static String withSecret(String token, String secret) {
    return tokenText(idOf(token), secret);
  }

  /** The same token with its last checksum character changed: well-shaped, checksum wrong. */
  static String withBadChecksum(String token) {
    char last = token.charAt(token.length() - 1);
    char other = ALPHABET.charAt((ALPHABET.indexOf(last) + 1) % ALPHABET.length());
    return token.substring(0, token.length() - 1) + other;
  }

  /** SHA-256 of the secret's ASCII characters: the stored hash under default hashing. */
  static SecretHash sha256Hash(String secret) {
    return SecretHash.of(
        SecretHash.Algorithm.SHA256,
        null,
        sha256().digest(secret.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A new SHA-256 digest. */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** A never-used record of a token whose secret hashes (SHA-256) to {@code hash}. */
  static TokenRecord record(TokenId id, String corp, String email, String name, SecretHash hash) {
    return TokenRecord.issued(id, corp, email, name, CREATED, null, hash);
  }

  /**
   * Checks a fixture: {@code v} must be authenticated.
   *
   * @throws IllegalStateException if it is not, naming {@code what}
   */
  static void expectAuthenticated(Verification v, String what) {
    if (!v.isAuthenticated()) {
      throw new IllegalStateException("benchmark fixture broken: " + what + " gave " + v);
    }
  }

  /**
   * Checks a fixture: {@code v} must be rejected for {@code reason}.
   *
   * @throws IllegalStateException if it is not, naming {@code what}
   */
  static void expectRejected(Verification v, RejectionReason reason, String what) {
    if (!(v instanceof Verification.Rejected rejected) || rejected.reason() != reason) {
      throw new IllegalStateException(
          "benchmark fixture broken: " + what + " should be rejected " + reason + ", gave " + v);
    }
  }
}
