package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A store that is down: fail closed on a miss, keep serving what is cached, lose no usage. */
class StoreFailureTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final ControllableTokenStore store = new ControllableTokenStore(true);
  private final Deployment d = new Deployment(store, b -> b);

  @AfterEach
  void close() {
    store.failing.set(false);
    d.close();
  }

  @Test
  void verify_cacheMissWhileStoreDown_throwsStoreException() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    store.failing.set(true);
    assertThatThrownBy(() -> d.verifier().verify(ANN, token.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.revealPlaintext()));
    // The failure was not remembered as "unknown": once the store is back, the token verifies.
    store.failing.set(false);
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
  }

  @Test
  void verify_unknownIdWhileStoreDown_throwsRatherThanRejectsUnknown() {
    String unknown = d.core.format.mint(TokenId.fromLong(77), new java.util.Random(1));
    store.failing.set(true);
    assertThatThrownBy(() -> d.verifier().verify(ANN, unknown, CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void verify_malformedWhileStoreDown_stillRejectedMalformedWithoutStore() {
    store.failing.set(true);
    int finds = store.finds.get();
    assertThat(Deployment.reasonOf(d.verifier().verify(ANN, "acme_garbage", CLIENT)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(store.finds.get()).isEqualTo(finds);
  }

  @Test
  void verify_cachedTokenWhileStoreDown_keepsVerifying() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    store.failing.set(true);
    for (int i = 0; i < 10; i++) {
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
    }
    // Rejections that need no store still work too.
    assertThat(Deployment.reasonOf(d.verifier().verify(BOB, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void issueAndDelete_storeDown_throwStoreException() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    store.failing.set(true);
    assertThatThrownBy(() -> d.issuer().issue(ANN, "ci2"))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> d.issuer().delete(ANN, token.id()))
        .isInstanceOf(StoreUnavailableException.class);
    store.failing.set(false);
    assertThat(store.delegate.listByOwner("acme", ANN)).hasSize(1);
    assertThat(d.events(AuditEvent.TokenCreated.class)).hasSize(1);
    assertThat(d.events(AuditEvent.TokenDeleted.class)).isEmpty();
  }

  @Test
  void flushUsage_storeDown_throwsAndKeepsUsageForNextFlush() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    d.clock.advance(Duration.ofSeconds(5));
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    store.failing.set(true);
    assertThatThrownBy(d.core::flushUsage).isInstanceOf(StoreUnavailableException.class);
    store.failing.set(false);
    assertThat(store.delegate.find(token.id()).orElseThrow().lastUsed()).isNull();
    d.core.flushUsage();
    assertThat(store.delegate.find(token.id()).orElseThrow().lastUsed())
        .isEqualTo(Deployment.START.plusSeconds(5));
    assertThat(store.delegate.find(token.id()).orElseThrow().recentIps())
        .containsExactly("127.0.0.1");
  }
}
