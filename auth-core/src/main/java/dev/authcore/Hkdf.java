package dev.authcore;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869) from BouncyCastle, kept in a class of its own so that BouncyCastle, an
 * optional dependency, is loaded only when keyed hashing is configured: a deployment without it
 * fails here with {@link NoClassDefFoundError}, which {@link SecretHashing} turns into a message.
 */
final class Hkdf {
  private Hkdf() {}

  /** {@code length} bytes of HKDF-SHA256 output for the key material and info, with no salt. */
  static byte[] sha256(byte[] inputKeyMaterial, byte[] info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(new HKDFParameters(inputKeyMaterial, null, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }
}
