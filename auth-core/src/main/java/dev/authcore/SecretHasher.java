package dev.authcore;

import dev.authcore.spi.SecretHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Hashes presented secrets and compares them with stored hashes, in constant time, in one place.
 *
 * <p>Unkeyed: SHA-256 of the secret's ASCII bytes, with a per-thread digest. Keyed: HMAC-SHA256
 * (RFC 2104) with the key pads absorbed once per key into prototype digests; each hash clones the
 * two prototypes instead of re-hashing the pads, as the JDK's {@code Mac} does on every call.
 */
final class SecretHasher {
  /** One HMAC key, its pads already absorbed. */
  static final class Key {
    final String id;
    private final MessageDigest innerPrototype;
    private final MessageDigest outerPrototype;

    Key(String id, byte[] material) {
      this.id = id;
      // RFC 2104: a key longer than the hash's 64-byte block is replaced by its hash.
      byte[] key = material.length > 64 ? Scratch.newSha256().digest(material) : material;
      byte[] ipad = new byte[64];
      byte[] opad = new byte[64];
      for (int i = 0; i < 64; i++) {
        byte k = i < key.length ? key[i] : 0;
        ipad[i] = (byte) (k ^ 0x36);
        opad[i] = (byte) (k ^ 0x5c);
      }
      innerPrototype = Scratch.newSha256();
      innerPrototype.update(ipad);
      outerPrototype = Scratch.newSha256();
      outerPrototype.update(opad);
    }

    MessageDigest inner() {
      return cloneOf(innerPrototype);
    }

    MessageDigest outer() {
      return cloneOf(outerPrototype);
    }

    private static MessageDigest cloneOf(MessageDigest prototype) {
      try {
        return (MessageDigest) prototype.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("the platform's SHA-256 cannot be cloned", e);
      }
    }
  }

  private final @Nullable Key current;
  private final Map<String, Key> keys;

  SecretHasher(SecretHashing hashing) {
    Map<String, Key> byId = new HashMap<>();
    @Nullable String currentId = hashing.currentKeyId();
    @Nullable Key cur = null;
    for (String id : hashing.keyIds()) {
      byte[] material = hashing.key(id);
      if (material != null) {
        Key key = new Key(id, material);
        byId.put(id, key);
        if (id.equals(currentId)) {
          cur = key;
        }
      }
    }
    this.keys = Map.copyOf(byId);
    this.current = cur;
  }

  /** The key new hashes are made with, or {@code null} for unkeyed SHA-256. */
  @Nullable Key current() {
    return current;
  }

  /** The configured key with this id, or {@code null}. */
  @Nullable Key key(String id) {
    return keys.get(id);
  }

  /** Hashes the secret at {@code token[from, from + length)} as a new token's stored hash. */
  SecretHash hashForStorage(String token, int from, int length) {
    Scratch scratch = Scratch.get();
    byte[] ascii = scratch.ascii;
    for (int i = from; i < from + length; i++) {
      ascii[i] = (byte) token.charAt(i);
    }
    digest(scratch, from, length, current, scratch.digest);
    return current == null
        ? SecretHash.of(SecretHash.Algorithm.SHA256, null, scratch.digest)
        : SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, current.id, scratch.digest);
  }

  /**
   * Whether the secret in {@code scratch.ascii[from, from + length)}, put there by {@link
   * TokenFormat#parse}, hashes to {@code expected} under {@code key} ({@code null}: SHA-256).
   */
  static boolean matches(
      Scratch scratch, int from, int length, @Nullable Key key, byte[] expected) {
    digest(scratch, from, length, key, scratch.digest);
    return equalHashes(scratch.digest, expected);
  }

  /**
   * Hashes the secret in {@code scratch.ascii[from, from + length)} under {@code key} into {@code
   * out} (32 bytes), for a second comparison of the same secret under another key.
   */
  static void hashInto(Scratch scratch, int from, int length, @Nullable Key key, byte[] out) {
    digest(scratch, from, length, key, out);
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Whether two 32-byte hashes are equal, in time independent of where they differ: the one
   * comparison of secret-derived bytes in auth-core. Like {@link MessageDigest#isEqual}, it looks
   * at every byte whatever it finds; unlike it (a byte loop on Java 17), it reads eight bytes at a
   * time.
   */
  static boolean equalHashes(byte[] a, byte[] b) {
    if (a.length != SecretHash.LENGTH || b.length != SecretHash.LENGTH) {
      throw new IllegalArgumentException(
          "hashes must be " + SecretHash.LENGTH + " bytes, got " + a.length + " and " + b.length);
    }
    long difference =
        ((long) LONGS.get(a, 0) ^ (long) LONGS.get(b, 0))
            | ((long) LONGS.get(a, 8) ^ (long) LONGS.get(b, 8))
            | ((long) LONGS.get(a, 16) ^ (long) LONGS.get(b, 16))
            | ((long) LONGS.get(a, 24) ^ (long) LONGS.get(b, 24));
    return difference == 0;
  }

  private static void digest(Scratch scratch, int from, int length, @Nullable Key key, byte[] out) {
    byte[] ascii = scratch.ascii;
    try {
      if (key == null) {
        MessageDigest sha = scratch.sha256;
        sha.update(ascii, from, length);
        sha.digest(out, 0, SecretHash.LENGTH);
      } else {
        MessageDigest inner = key.inner();
        inner.update(ascii, from, length);
        inner.digest(out, 0, SecretHash.LENGTH);
        MessageDigest outer = key.outer();
        outer.update(out, 0, SecretHash.LENGTH);
        outer.digest(out, 0, SecretHash.LENGTH);
      }
    } catch (java.security.DigestException e) {
      throw new IllegalStateException("SHA-256 digest buffer too small", e);
    }
  }
}
