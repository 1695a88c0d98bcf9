package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.base.Splitter;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle is an optional dependency, needed only for keyed hashing: auth-core loaded without
 * it still works in the default mode, and keyed mode says exactly what is missing.
 */
class SecretHashingWithoutBouncyCastleTest {

  /** auth-core and its required dependencies, as a deployment without BouncyCastle has them. */
  private static URLClassLoader withoutBouncyCastle() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry :
        Splitter.on(File.pathSeparatorChar).split(System.getProperty("java.class.path"))) {
      if (!entry.contains("bcprov")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
  }

  @Test
  void classPath_withoutBouncyCastle_hasNoBouncyCastle() throws Exception {
    try (URLClassLoader loader = withoutBouncyCastle()) {
      assertThatThrownBy(() -> loader.loadClass("org.bouncycastle.crypto.digests.SHA256Digest"))
          .isInstanceOf(ClassNotFoundException.class);
    }
  }

  @Test
  void sha256_withoutBouncyCastle_works() throws Exception {
    try (URLClassLoader loader = withoutBouncyCastle()) {
      Class<?> hashing = loader.loadClass(SecretHashing.class.getName());
      Object sha256 = hashing.getMethod("sha256").invoke(null);
      assertThat(sha256).hasToString("SecretHashing[sha256]");
    }
  }

  @Test
  void hmacSha256_withoutBouncyCastle_saysWhatToAdd() throws Exception {
    try (URLClassLoader loader = withoutBouncyCastle()) {
      Class<?> hashing = loader.loadClass(SecretHashing.class.getName());
      Method hmac = hashing.getMethod("hmacSha256", String.class, byte[].class);
      assertThatThrownBy(() -> hmac.invoke(null, "k1", new byte[32]))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("org.bouncycastle:bcprov-jdk18on")
          .hasMessageContaining("SecretHashing.sha256() does not need it");
    }
  }
}
