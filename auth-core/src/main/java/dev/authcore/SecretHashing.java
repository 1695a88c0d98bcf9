package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.spi.SecretHash;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How token secrets are hashed for storage: plain SHA-256 (the default) or keyed HMAC-SHA256.
 *
 * <p><b>Why SHA-256 is enough.</b> A token secret has 190 random bits, so no dictionary or brute
 * force applies: a slow password hash (bcrypt, Argon2) would cost milliseconds per request and buy
 * nothing. SHA-256 runs on the CPU's SHA instructions through the JDK.
 *
 * <p><b>What keyed mode adds.</b> With {@link #hmacSha256}, a stolen copy of the store cannot even
 * be used to check a guessed token offline without the deployment secret too. The HMAC key is
 * derived from the deployment secret with HKDF-SHA256 (RFC 5869), from BouncyCastle since the JDK
 * before 24 has none, with the key id in the HKDF info so each key id yields an unrelated key. Each
 * stored hash names its key id: {@link #withRetiredKey} keeps verifying tokens hashed under an old
 * deployment secret while new tokens use the current one, so the secret can rotate without
 * invalidating anyone.
 *
 * <p><b>Dependencies.</b> Only keyed mode needs BouncyCastle ({@code
 * org.bouncycastle:bcprov-jdk18on}), an optional dependency of auth-core: a deployment that uses
 * {@link #hmacSha256} adds it to its own build (on the module path also {@code --add-modules
 * org.bouncycastle.provider}, since auth-core {@code requires static} it). Without it, {@link
 * #hmacSha256} and {@link #withRetiredKey} fail at once, while the deployment is being configured,
 * with an {@link IllegalStateException} that says so; the default SHA-256 mode never touches it.
 *
 * <p>Holds derived keys: equality is identity and {@link #toString()} names key ids only. Immutable
 * and thread-safe.
 */
public final class SecretHashing {
  /** Shortest accepted deployment secret: 32 bytes (256 bits). */
  public static final int MIN_SECRET_BYTES = 32;

  private static final SecretHashing SHA256 = new SecretHashing(null, Map.of());

  private final @Nullable String currentKeyId;
  private final Map<String, byte[]> keys; // key id -> derived 32-byte HMAC key

  private SecretHashing(@Nullable String currentKeyId, Map<String, byte[]> keys) {
    this.currentKeyId = currentKeyId;
    this.keys = keys;
  }

  /** New tokens are hashed with unkeyed SHA-256. */
  public static SecretHashing sha256() {
    return SHA256;
  }

  /**
   * New tokens are hashed with HMAC-SHA256 under a key derived from {@code deploymentSecret}.
   *
   * @param keyId names the key in stored hashes, 1 to 32 characters of {@code [A-Za-z0-9._-]}
   * @param deploymentSecret at least {@value #MIN_SECRET_BYTES} random bytes; not retained (only
   *     the derived key is), so the caller may wipe it afterwards
   * @throws IllegalArgumentException if the key id is malformed or the secret too short
   * @throws IllegalStateException if BouncyCastle is not on the class or module path
   */
  public static SecretHashing hmacSha256(String keyId, byte[] deploymentSecret) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    keys.put(keyId, derive(keyId, deploymentSecret));
    return new SecretHashing(keyId, keys);
  }

  /**
   * These settings plus a retired key: tokens whose stored hash names {@code keyId} still verify;
   * no new hash is made with it.
   *
   * @throws IllegalArgumentException if the key id is malformed or already present, or the secret
   *     too short
   * @throws IllegalStateException if BouncyCastle is not on the class or module path
   */
  public SecretHashing withRetiredKey(String keyId, byte[] deploymentSecret) {
    checkArgument(!keys.containsKey(keyId), "key id %s is already configured", keyId);
    Map<String, byte[]> more = new LinkedHashMap<>(keys);
    more.put(keyId, derive(keyId, deploymentSecret));
    return new SecretHashing(currentKeyId, more);
  }

  private static byte[] derive(String keyId, byte[] deploymentSecret) {
    SecretHash.checkKeyId(keyId);
    checkArgument(
        deploymentSecret.length >= MIN_SECRET_BYTES,
        "deployment secret must be at least %s bytes, got %s",
        MIN_SECRET_BYTES,
        deploymentSecret.length);
    byte[] info = ("auth-core token hash v1|" + keyId).getBytes(StandardCharsets.US_ASCII);
    try {
      return Hkdf.sha256(deploymentSecret, info, 32);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "keyed hashing (SecretHashing.hmacSha256) needs BouncyCastle for HKDF: add"
              + " org.bouncycastle:bcprov-jdk18on to the deployment's dependencies (on the module"
              + " path also --add-modules org.bouncycastle.provider); the default"
              + " SecretHashing.sha256() does not need it",
          e);
    }
  }

  /** The key id new hashes are made with, or {@code null} for unkeyed SHA-256. */
  @Nullable String currentKeyId() {
    return currentKeyId;
  }

  /** Ids of every configured key, current first. */
  java.util.Set<String> keyIds() {
    return keys.keySet();
  }

  /** The derived key for {@code keyId}, or {@code null} if it is not configured. */
  byte @Nullable [] key(String keyId) {
    return keys.get(keyId);
  }

  /** The algorithm and key ids; never key material. */
  @Override
  public String toString() {
    if (currentKeyId == null && keys.isEmpty()) {
      return "SecretHashing[sha256]";
    }
    return "SecretHashing["
        + (currentKeyId == null ? "sha256" : "hmac-sha256, key " + currentKeyId)
        + ", keys "
        + keys.keySet()
        + "]";
  }
}
