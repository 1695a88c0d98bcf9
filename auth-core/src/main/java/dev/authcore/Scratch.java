package dev.authcore;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * Per-thread working memory of the request path, so a verification allocates no buffers, digests or
 * checksums. Never shared between threads.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  /** The token's characters as ASCII bytes (tokens are at most 66 characters). */
  final byte[] ascii = new byte[128];

  /** Output of the hash of the presented secret. */
  final byte[] digest = new byte[32];

  final CRC32 crc = new CRC32();
  final MessageDigest sha256 = newSha256();

  private Scratch() {}

  static Scratch get() {
    return LOCAL.get();
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
