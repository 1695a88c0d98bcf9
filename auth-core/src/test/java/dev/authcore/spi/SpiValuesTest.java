package dev.authcore.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain values that cross the store boundary: validation, equality, nulls. */
class SpiValuesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final SecretHash HASH_A =
      SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[32]);
  private static final SecretHash HASH_B =
      SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k1", new byte[32]);

  private static TokenRecord record(long id, String name) {
    return TokenRecord.issued(
        TokenId.fromLong(id), "acme", "ann@example.com", name, T0, null, HASH_A);
  }

  private static NullPointerTester tester() {
    return new NullPointerTester()
        .setDefault(String.class, "ann@example.com")
        .setDefault(TokenId.class, TokenId.fromLong(1))
        .setDefault(SecretHash.class, HASH_A)
        .setDefault(Instant.class, T0)
        .setDefault(Role.class, Role.USER)
        .setDefault(List.class, List.of())
        .setDefault(TokenRecord.class, record(1, "ci"));
  }

  // ---- UserAccount ----------------------------------------------------------------------------

  @Test
  void userAccount_equality_byAllFields() {
    new EqualsTester()
        .addEqualityGroup(
            new UserAccount("acme", "ann@example.com", Role.USER),
            new UserAccount("acme", "ann@example.com", Role.USER))
        .addEqualityGroup(new UserAccount("acme", "Ann@example.com", Role.USER))
        .addEqualityGroup(new UserAccount("acme", "ann@example.com", Role.OWNER))
        .addEqualityGroup(new UserAccount("other", "ann@example.com", Role.USER))
        .testEquals();
  }

  @Test
  void userAccount_nulls_refused() {
    tester().testAllPublicConstructors(UserAccount.class);
    tester().testAllPublicInstanceMethods(new UserAccount("acme", "ann@example.com", Role.USER));
  }

  @Test
  void userAccount_emailKey_asciiLowerCasedOnly() {
    UserAccount ann = new UserAccount("acme", "\u00c4nn.Smith@Example.COM", Role.OWNER);
    assertThat(ann.emailKey()).isEqualTo("\u00c4nn.smith@example.com");
    assertThat(ann.isOwner()).isTrue();
    assertThat(new UserAccount("acme", "a@b", Role.USER).isOwner()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "ac me", "acme/x", "acm\u00e9", "acme\n", "acme\u007f"})
  void userAccount_malformedCorp_refusedSayingWhere(String corp) {
    assertThatThrownBy(() -> new UserAccount(corp, "ann@example.com", Role.USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("corp must be")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void userAccount_corpOf65Characters_refused() {
    assertThat(new UserAccount("c".repeat(64), "a@b", Role.USER).corp()).hasSize(64);
    assertThatThrownBy(() -> new UserAccount("c".repeat(65), "a@b", Role.USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 65");
  }

  @Test
  void userAccount_malformedEmail_refused() {
    assertThatThrownBy(() -> new UserAccount("acme", "ann example.com", Role.USER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("email");
  }

  // ---- TokenRecord ----------------------------------------------------------------------------

  @Test
  void tokenRecord_equality_byAllFields() {
    TokenRecord base = record(1, "ci");
    new EqualsTester()
        .addEqualityGroup(base, record(1, "ci"), base.withUsage(null, List.of()))
        .addEqualityGroup(record(2, "ci"))
        .addEqualityGroup(record(1, "CI"))
        .addEqualityGroup(
            new TokenRecord(
                base.id(), "acme", "ann@example.com", "ci", T0, null, HASH_B, null, List.of()))
        .addEqualityGroup(base.withUsage(T0, List.of()))
        .addEqualityGroup(base.withUsage(T0, List.of("10.0.0.1")))
        .addEqualityGroup(
            TokenRecord.issued(
                base.id(), "acme", "ann@example.com", "ci", T0, T0.plusSeconds(86_400), HASH_A))
        .testEquals();
  }

  @Test
  void tokenRecord_nulls_refused() {
    tester().testAllPublicConstructors(TokenRecord.class);
    tester().testAllPublicStaticMethods(TokenRecord.class);
    tester().testAllPublicInstanceMethods(record(1, "ci"));
  }

  @Test
  void tokenRecord_createdWithSubMilliseconds_refused() {
    assertThatThrownBy(
            () ->
                TokenRecord.issued(
                    TokenId.fromLong(1),
                    "acme",
                    "ann@example.com",
                    "ci",
                    T0.plusNanos(1),
                    null,
                    HASH_A))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole milliseconds");
  }

  @Test
  void tokenRecord_emptyName_refused() {
    assertThatThrownBy(() -> record(1, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }

  @Test
  void tokenRecord_recentIps_atMostTenAndCopied() {
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < TokenRecord.MAX_RECENT_IPS; i++) {
      ips.add("10.0.0." + i);
    }
    TokenRecord used = record(1, "ci").withUsage(T0, ips);
    ips.set(0, "192.0.2.1");
    assertThat(used.recentIps()).hasSize(10).startsWith("10.0.0.0");
    assertThatThrownBy(() -> used.recentIps().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    ips.add("10.0.0.99");
    assertThatThrownBy(() -> record(1, "ci").withUsage(T0, ips))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 10");
  }

  @Test
  void tokenRecord_ownerKey_asciiLowerCased() {
    TokenRecord r =
        TokenRecord.issued(TokenId.fromLong(1), "acme", "Ann@Example.com", "ci", T0, null, HASH_A);
    assertThat(r.ownerKey()).isEqualTo("ann@example.com");
    assertThat(r.ownerEmail()).isEqualTo("Ann@Example.com");
  }

  @Test
  void tokenRecord_toString_neverShowsHashBytes() {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) 0x5a);
    TokenRecord r =
        TokenRecord.issued(
            TokenId.fromLong(1),
            "acme",
            "ann@example.com",
            "ci",
            T0,
            null,
            SecretHash.of(SecretHash.Algorithm.SHA256, null, bytes));
    assertThat(r.toString()).doesNotContain("WlpaWlpa", "5a5a5a", "5A5A5A", "90, 90, 90");
  }

  // ---- UsageUpdate ----------------------------------------------------------------------------

  @Test
  void usageUpdate_tenIps_accepted_elevenRefused() {
    List<String> ten = new ArrayList<>();
    for (int i = 0; i < TokenRecord.MAX_RECENT_IPS; i++) {
      ten.add("10.0.0." + i);
    }
    assertThat(new UsageUpdate(TokenId.fromLong(1), T0, ten).ips()).hasSize(10);
    ten.add("10.0.0.99");
    assertThatThrownBy(() -> new UsageUpdate(TokenId.fromLong(1), T0, ten))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at most 10 IPs per update, got 11");
  }

  @Test
  void usageUpdate_equalityAndNulls() {
    TokenId id = TokenId.fromLong(1);
    new EqualsTester()
        .addEqualityGroup(
            new UsageUpdate(id, T0, List.of("10.0.0.1")),
            new UsageUpdate(id, T0, new ArrayList<>(List.of("10.0.0.1"))))
        .addEqualityGroup(new UsageUpdate(TokenId.fromLong(2), T0, List.of("10.0.0.1")))
        .addEqualityGroup(new UsageUpdate(id, T0.plusMillis(1), List.of("10.0.0.1")))
        .addEqualityGroup(new UsageUpdate(id, T0, List.of()))
        .testEquals();
    tester().testAllPublicConstructors(UsageUpdate.class);
    tester().testAllPublicStaticMethods(UsageUpdate.class);
    tester().testAllPublicInstanceMethods(new UsageUpdate(id, T0, List.of()));
  }

  @Test
  void usageUpdate_merge_laterLastUsedWinsInEitherOrder() {
    TokenRecord stored = record(1, "ci");
    UsageUpdate early = new UsageUpdate(stored.id(), T0.plusSeconds(1), List.of("10.0.0.1"));
    UsageUpdate late = new UsageUpdate(stored.id(), T0.plusSeconds(2), List.of("10.0.0.2"));
    assertThat(late.merge(early.merge(stored)).lastUsed()).isEqualTo(T0.plusSeconds(2));
    assertThat(early.merge(late.merge(stored)).lastUsed()).isEqualTo(T0.plusSeconds(2));
    assertThat(UsageUpdate.laterOf(null, T0)).isEqualTo(T0);
    assertThat(UsageUpdate.laterOf(T0.plusMillis(1), T0)).isEqualTo(T0.plusMillis(1));
  }

  @Test
  void usageUpdate_merge_newestIpsFirstDistinctAtMostTen() {
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      stored.add("10.0.0." + i);
    }
    TokenRecord r = record(1, "ci").withUsage(T0, stored);
    TokenRecord merged =
        new UsageUpdate(r.id(), T0.plusSeconds(1), List.of("10.0.0.5", "192.0.2.1")).merge(r);
    assertThat(merged.recentIps())
        .containsExactly(
            "10.0.0.5",
            "192.0.2.1",
            "10.0.0.0",
            "10.0.0.1",
            "10.0.0.2",
            "10.0.0.3",
            "10.0.0.4",
            "10.0.0.6",
            "10.0.0.7",
            "10.0.0.8");
  }

  @Test
  void usageUpdate_moreThanTenIps_refused() {
    List<String> ips = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      ips.add("10.0.0." + i);
    }
    assertThatThrownBy(() -> new UsageUpdate(TokenId.fromLong(1), T0, ips))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 11");
  }

  // ---- ListPosition ---------------------------------------------------------------------------

  @Test
  void listPosition_equalityAndNulls() {
    new EqualsTester()
        .addEqualityGroup(
            new ListPosition(T0, TokenId.fromLong(1)), ListPosition.of(record(1, "ci")))
        .addEqualityGroup(new ListPosition(T0, TokenId.fromLong(2)))
        .addEqualityGroup(new ListPosition(T0.plusMillis(1), TokenId.fromLong(1)))
        .testEquals();
    tester().testAllPublicConstructors(ListPosition.class);
    tester().testAllPublicStaticMethods(ListPosition.class);
    tester().testAllPublicInstanceMethods(new ListPosition(T0, TokenId.fromLong(1)));
  }

  @Test
  void listPosition_precedes_olderOrSameInstantSmallerId() {
    ListPosition at = new ListPosition(T0, TokenId.fromLong(5));
    assertThat(at.precedes(record(4, "a"))).isTrue(); // same instant, smaller id: after it
    assertThat(at.precedes(record(5, "a"))).isFalse(); // itself: strictly after only
    assertThat(at.precedes(record(6, "a"))).isFalse();
    TokenRecord older =
        TokenRecord.issued(
            TokenId.fromLong(99), "acme", "a@b", "x", T0.minusMillis(1), null, HASH_A);
    assertThat(at.precedes(older)).isTrue();
    TokenRecord newer =
        TokenRecord.issued(TokenId.fromLong(1), "acme", "a@b", "x", T0.plusMillis(1), null, HASH_A);
    assertThat(at.precedes(newer)).isFalse();
  }

  // ---- FeedStatus -----------------------------------------------------------------------------

  @Test
  void feedStatus_factoriesAndEquality() {
    assertThat(FeedStatus.connected(2, Duration.ofMillis(5)))
        .isEqualTo(new FeedStatus(FeedStatus.State.CONNECTED, 2, Duration.ofMillis(5)));
    assertThat(FeedStatus.disconnected(0, Duration.ZERO).state())
        .isEqualTo(FeedStatus.State.DISCONNECTED);
    assertThat(FeedStatus.NONE).isEqualTo(new FeedStatus(FeedStatus.State.NONE, 0, Duration.ZERO));
    new EqualsTester()
        .addEqualityGroup(
            FeedStatus.connected(1, Duration.ofSeconds(1)),
            FeedStatus.connected(1, Duration.ofMinutes(1).dividedBy(60)))
        .addEqualityGroup(FeedStatus.disconnected(1, Duration.ofSeconds(1)))
        .addEqualityGroup(FeedStatus.connected(2, Duration.ofSeconds(1)))
        .addEqualityGroup(FeedStatus.connected(1, Duration.ofSeconds(2)))
        .addEqualityGroup(FeedStatus.NONE)
        .testEquals();
    NullPointerTester nulls = tester().setDefault(Duration.class, Duration.ZERO);
    nulls.testAllPublicStaticMethods(FeedStatus.class);
    nulls.setDefault(FeedStatus.State.class, FeedStatus.State.CONNECTED);
    nulls.testAllPublicConstructors(FeedStatus.class);
  }

  @Test
  void feedStatus_negativeReconnectsOrLag_refusedSayingWhich() {
    assertThatThrownBy(() -> FeedStatus.connected(-1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("feed reconnects must not be negative, got -1");
    assertThatThrownBy(() -> FeedStatus.disconnected(0, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("feed lag must not be negative, got PT-0.001S");
  }

  @Test
  void feedStatus_noneWithReconnectsOrLag_refused() {
    assertThatThrownBy(() -> new FeedStatus(FeedStatus.State.NONE, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reports no feed (NONE)");
    assertThatThrownBy(() -> new FeedStatus(FeedStatus.State.NONE, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reports no feed (NONE)");
  }

  @Test
  void tokenStore_feedStatusByDefault_none() {
    TokenStore store =
        (TokenStore)
            java.lang.reflect.Proxy.newProxyInstance(
                TokenStore.class.getClassLoader(),
                new Class<?>[] {TokenStore.class},
                (proxy, method, args) -> {
                  if (method.isDefault()) {
                    return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                  }
                  throw new AssertionError(method + " called: a default must not reach the store");
                });
    assertThat(store.feedStatus()).isSameAs(FeedStatus.NONE);
  }
}
