package dev.authcore;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reference computations written from the specifications with JDK primitives only, so tests can
 * check auth-core's own code against something it does not share.
 */
final class Independent {
  static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private Independent() {}

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  static long crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(ascii(text));
    return crc.getValue();
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // An empty key is legal HMAC but SecretKeySpec refuses it; HMAC pads keys with zeros, so one
      // zero byte is the same key.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * HKDF-SHA256 (RFC 5869): extract {@code PRK = HMAC(salt, IKM)}, a missing salt being HashLen
   * zero bytes; expand {@code T(i) = HMAC(PRK, T(i-1) | info | i)} and take the first {@code
   * length} bytes.
   */
  static byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    byte[] prk = hmacSha256(salt.length == 0 ? new byte[32] : salt, ikm);
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    for (int i = 1, written = 0; written < length; i++) {
      byte[] input = new byte[previous.length + info.length + 1];
      System.arraycopy(previous, 0, input, 0, previous.length);
      System.arraycopy(info, 0, input, previous.length, info.length);
      input[input.length - 1] = (byte) i;
      previous = hmacSha256(prk, input);
      int n = Math.min(previous.length, length - written);
      System.arraycopy(previous, 0, out, written, n);
      written += n;
    }
    return out;
  }

  /** The value of base62 {@code text} (most significant digit first). */
  static BigInteger base62(String text) {
    BigInteger value = BigInteger.ZERO;
    for (int i = 0; i < text.length(); i++) {
      int digit = BASE62.indexOf(text.charAt(i));
      if (digit < 0) {
        throw new IllegalArgumentException("not base62 at " + i);
      }
      value = value.multiply(BigInteger.valueOf(62)).add(BigInteger.valueOf(digit));
    }
    return value;
  }

  static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
