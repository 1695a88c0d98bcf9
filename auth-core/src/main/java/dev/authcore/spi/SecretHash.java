package dev.authcore.spi;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.errorprone.annotations.Immutable;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stored hash of a token's secret, with what made it: the algorithm and, for keyed hashing, the
 * id of the key. The secret itself is never stored.
 *
 * <p>Its text form ({@link #encoded()}) is what a store persists: {@code sha256:<base64url>} or
 * {@code hmac-sha256:<keyId>:<base64url>}. The hash of a 190-bit random secret does not help an
 * attacker who reads it, but it is still kept out of {@link #toString()}: only the algorithm and
 * key id print. Instances are immutable; equality is by value (use it in tests and stores, never to
 * check a presented token: auth-core compares hashes in constant time in one place).
 *
 * <p>As JSON (Jackson 2 or 3, through the optional Jackson annotations) a hash is its {@linkplain
 * #encoded() text form}, a string, and is read back with {@link #parse(String)}: a store that keeps
 * records as JSON persists what it would persist as text.
 */
@Immutable
public final class SecretHash {
  /** How a hash was made. */
  public enum Algorithm {
    /** SHA-256 of the secret's ASCII characters. */
    SHA256("sha256"),
    /**
     * HMAC-SHA256 of the secret's ASCII characters under a key derived from a deployment secret.
     */
    HMAC_SHA256("hmac-sha256");

    private final String label;

    Algorithm(String label) {
      this.label = label;
    }

    /** The name used in the {@linkplain SecretHash#encoded() text form}. */
    public String label() {
      return label;
    }
  }

  /** Length of every hash auth-core makes: 32 bytes. */
  public static final int LENGTH = 32;

  /** Longest key id: letters, digits, {@code -}, {@code _} and {@code .}. */
  public static final int MAX_KEY_ID_LENGTH = 32;

  private final Algorithm algorithm;
  private final @Nullable String keyId;

  @SuppressWarnings("Immutable") // never mutated after construction, copied in and out
  private final byte[] hash;

  private SecretHash(Algorithm algorithm, @Nullable String keyId, byte[] hash) {
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.hash = hash;
  }

  /**
   * Returns a hash made by {@code algorithm}.
   *
   * @param keyId the key's id: required for {@link Algorithm#HMAC_SHA256}, {@code null} for {@link
   *     Algorithm#SHA256}
   * @param hash exactly {@value #LENGTH} bytes; copied
   * @throws IllegalArgumentException if the key id does not fit the algorithm or is malformed, or
   *     the hash has another length
   */
  public static SecretHash of(Algorithm algorithm, @Nullable String keyId, byte[] hash) {
    checkArgument(hash.length == LENGTH, "hash must be %s bytes, got %s", LENGTH, hash.length);
    if (algorithm == Algorithm.SHA256) {
      checkArgument(keyId == null, "a sha256 hash has no key id, got one");
    } else {
      checkArgument(keyId != null, "an %s hash needs a key id", algorithm.label());
      checkKeyId(keyId);
    }
    return new SecretHash(algorithm, keyId, hash.clone());
  }

  /**
   * Checks a key id: 1 to {@value #MAX_KEY_ID_LENGTH} characters from {@code [A-Za-z0-9._-]}.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static void checkKeyId(String keyId) {
    checkArgument(
        !keyId.isEmpty() && keyId.length() <= MAX_KEY_ID_LENGTH,
        "key id must be 1 to %s characters, got %s",
        MAX_KEY_ID_LENGTH,
        keyId.length());
    for (int i = 0; i < keyId.length(); i++) {
      char c = keyId.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "key id may hold only [A-Za-z0-9._-], found U+%04X at index %d",
                (int) c,
                i));
      }
    }
  }

  /**
   * Reads the text form written by {@link #encoded()}.
   *
   * @throws IllegalArgumentException if {@code text} is not such a form (the message does not
   *     repeat the text)
   */
  @JsonCreator
  public static SecretHash parse(String text) {
    int first = text.indexOf(':');
    checkArgument(first > 0, "stored hash must start with an algorithm label and ':'");
    String label = text.substring(0, first).toLowerCase(Locale.ROOT);
    Algorithm algorithm;
    @Nullable String keyId = null;
    String body;
    if (label.equals(Algorithm.SHA256.label())) {
      algorithm = Algorithm.SHA256;
      body = text.substring(first + 1);
    } else if (label.equals(Algorithm.HMAC_SHA256.label())) {
      algorithm = Algorithm.HMAC_SHA256;
      int second = text.indexOf(':', first + 1);
      checkArgument(second > first + 1, "stored hmac-sha256 hash must name its key id");
      keyId = text.substring(first + 1, second);
      body = text.substring(second + 1);
    } else {
      throw new IllegalArgumentException(
          "stored hash has an unknown algorithm; expected sha256 or hmac-sha256");
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("stored hash is not valid base64url", e);
    }
    return of(algorithm, keyId, bytes);
  }

  /** The algorithm that made this hash. */
  public Algorithm algorithm() {
    return algorithm;
  }

  /** The id of the key that made this hash, or {@code null} for unkeyed SHA-256. */
  public @Nullable String keyId() {
    return keyId;
  }

  /** A copy of the hash bytes. */
  public byte[] toByteArray() {
    return hash.clone();
  }

  /** The text form a store persists; {@link #parse} reads it back. */
  @JsonValue
  public String encoded() {
    String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    return keyId == null
        ? algorithm.label() + ":" + b64
        : algorithm.label() + ":" + keyId + ":" + b64;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof SecretHash that)) {
      return false;
    }
    return algorithm == that.algorithm
        && Objects.equals(keyId, that.keyId)
        && java.util.Arrays.equals(hash, that.hash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, keyId, java.util.Arrays.hashCode(hash));
  }

  /** The algorithm and key id only; the hash bytes are never printed. */
  @Override
  public String toString() {
    return keyId == null
        ? "SecretHash[" + algorithm.label() + "]"
        : "SecretHash[" + algorithm.label() + ", key " + keyId + "]";
  }
}
