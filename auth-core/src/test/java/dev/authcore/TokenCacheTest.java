package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.spi.TokenId;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What reaches the store: cache hits and remembered unknown ids do not. */
class TokenCacheTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final ControllableTokenStore store = new ControllableTokenStore(true);
  private final Deployment d = new Deployment(store, b -> b);

  @AfterEach
  void close() {
    d.close();
  }

  @Test
  void verify_sameTokenManyTimes_oneStoreRead() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    int before = store.finds.get();
    for (int i = 0; i < 100; i++) {
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
    }
    assertThat(store.finds.get() - before).isEqualTo(1);
  }

  @Test
  void verify_wrongSecretsForKnownId_hashComparedEveryTimeWithoutStoreReads() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    d.verifier().verify(ANN, token.revealPlaintext(), CLIENT);
    int before = store.finds.get();
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      String forged = d.core.format.mint(token.id(), random);
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, forged, CLIENT)))
          .isEqualTo(RejectionReason.INVALID);
    }
    assertThat(store.finds.get()).isEqualTo(before);
    // The cache holds the record, not a verdict: the right secret still verifies.
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
  }

  @Test
  void verify_sameUnknownIdRepeated_oneStoreRead() {
    String unknown = d.core.format.mint(TokenId.fromLong(4242), new Random(1));
    for (int i = 0; i < 100; i++) {
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, unknown, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
    }
    assertThat(store.finds.get()).isEqualTo(1);
  }

  @Test
  void verify_malformedFlood_noStoreRead() {
    Random random = new Random(2);
    for (int i = 0; i < 200; i++) {
      String good = d.core.format.mint(TokenId.random(random), random);
      String bad =
          good.substring(0, 20) + (good.charAt(20) == 'x' ? 'y' : 'x') + good.substring(21);
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, bad, CLIENT)))
          .isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(store.finds.get()).isZero();
  }

  @Test
  void builder_cacheBounds_validated() {
    assertThatThrownBy(() -> AuthCore.builder().cacheBound(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 second to 1 hour");
    assertThatThrownBy(() -> AuthCore.builder().cacheBound(Duration.ofHours(1).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().unknownIdBound(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().maxCachedTokens(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().usageFlushInterval(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("user directory");
    try (AuthCore defaults = AuthCore.builder().users(d.users).build()) {
      assertThat(defaults.cacheBound()).isEqualTo(Duration.ofSeconds(30));
    }
  }
}
