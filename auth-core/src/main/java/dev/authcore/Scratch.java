package dev.authcore;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;

/**
 * Per-thread working memory of the request path, so a verification allocates no buffers, digests or
 * checksums. Never shared between threads. What the format check leaves in {@link #ascii} is read
 * by the hash of the same verification, after the cache lookup; were a store or user directory to
 * verify another token on the same thread during that lookup, the outer verification would hash the
 * wrong characters and be rejected, never wrongly accepted.
 */
final class Scratch {
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  /** The token's characters as ASCII bytes (tokens are at most 66 characters). */
  final byte[] ascii = new byte[128];

  /** The token's characters, on their way to {@link #ascii}. */
  private final char[] chars = new char[ascii.length];

  private final CharBuffer charView = CharBuffer.wrap(chars);
  private final ByteBuffer asciiView = ByteBuffer.wrap(ascii);
  private final CharsetEncoder asciiEncoder = StandardCharsets.US_ASCII.newEncoder();

  /**
   * Copies {@code text} into {@link #ascii}, one byte per character, if every character is ASCII;
   * returns false otherwise (what is left in {@code ascii} then means nothing). Through the JDK's
   * vectorised copy and ASCII encoder: a character-by-character copy costs several times as much.
   *
   * @throws IndexOutOfBoundsException if {@code text} is longer than {@code ascii}
   */
  boolean copyAscii(String text) {
    int length = text.length();
    text.getChars(0, length, chars, 0);
    charView.clear().limit(length);
    asciiView.clear();
    CoderResult result = asciiEncoder.reset().encode(charView, asciiView, true);
    return result.isUnderflow() && asciiView.position() == length;
  }

  /** Output of the hash of the presented secret. */
  final byte[] digest = new byte[32];

  /**
   * Output of the hash of the presented secret under the key of a token's previous secret, when
   * that key differs from the current secret's (the deployment's hashing key changed in between).
   */
  final byte[] previousDigest = new byte[32];

  /**
   * Set by each secret check: whether the presented secret matched the token's previous secret
   * during its grace period (and not its current one).
   */
  boolean matchedPrevious;

  final CRC32 crc = new CRC32();
  final MessageDigest sha256 = newSha256();

  /** One cache hit in this many is read with the cache's access bookkeeping (a power of two). */
  static final int RECORDED_HIT_PERIOD = 16;

  private int hits;

  /** Whether this thread's next cache hit should be recorded; true once per period. */
  boolean recordThisHit() {
    return (hits++ & (RECORDED_HIT_PERIOD - 1)) == 0;
  }

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
