package dev.authcore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore.InsertOutcome;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.testkit.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class InMemoryTokenStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final SecretHash HASH =
      SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[32]);

  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final List<String> told = new ArrayList<>();

  InMemoryTokenStoreTest() {
    store.addListener(
        new StoreListener() {
          @Override
          public void tokenDeleted(TokenId id) {
            told.add("deleted " + id);
          }

          @Override
          public void corpChanged(String corp) {
            told.add("changed " + corp);
          }
        });
  }

  @Test
  void addListener_registrationClosed_removesOnlyThatSubscription() {
    List<String> heard = new ArrayList<>();
    StoreListener listener =
        new StoreListener() {
          @Override
          public void tokenDeleted(TokenId id) {
            heard.add("deleted " + id);
          }

          @Override
          public void corpChanged(String corp) {
            heard.add("changed " + corp);
          }
        };
    ListenerRegistration first = store.addListener(listener);
    ListenerRegistration second = store.addListener(listener);
    store.setPermission("acme", "ann@example.com", true);
    assertThat(heard).containsExactly("changed acme", "changed acme");

    first.close();
    first.close(); // idempotent: does not remove the second subscription
    store.setPermission("acme", "ann@example.com", false);
    assertThat(heard).hasSize(3);

    second.close();
    store.setPermission("acme", "ann@example.com", true);
    assertThat(heard).hasSize(3);
    assertThat(told).as("the constructor's listener is still subscribed").hasSize(3);
  }

  private static TokenRecord token(long id, String owner, String name, Instant created) {
    return TokenRecord.issued(TokenId.fromLong(id), "acme", owner, name, created, null, HASH);
  }

  private static TokenRecord token(long id, String owner, String name) {
    return token(id, owner, name, T0);
  }

  @Test
  void insert_outcomes() {
    assertThat(store.insert(token(1, "ann@example.com", "ci"), 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(token(2, "ANN@example.com", "CI"), 2))
        .isEqualTo(InsertOutcome.NAME_TAKEN);
    assertThat(store.insert(token(1, "bob@example.com", "ci"), 2))
        .isEqualTo(InsertOutcome.ID_TAKEN);
    assertThat(store.insert(token(3, "Ann@Example.com", "cd"), 2))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(token(4, "ann@example.com", "x"), 2))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store.find(TokenId.fromLong(2))).isEmpty();
    assertThat(store.find(TokenId.fromLong(4))).isEmpty();
    assertThat(store.listByOwner("acme", "ann@EXAMPLE.com"))
        .extracting(TokenRecord::name)
        .containsExactly("ci", "cd");
    assertThat(store.listByOwner("other", "ann@example.com")).isEmpty();
    assertThatThrownBy(() -> store.insert(token(5, "c@d", "x"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void delete_removesEverywhereAndTellsListenersOnce() {
    store.insert(token(1, "ann@example.com", "ci"), 5);
    assertThat(store.delete(TokenId.fromLong(1))).isPresent();
    assertThat(store.delete(TokenId.fromLong(1))).isEmpty();
    assertThat(store.find(TokenId.fromLong(1))).isEmpty();
    assertThat(store.listByOwner("acme", "ann@example.com")).isEmpty();
    assertThat(store.listCorp("acme", null, null, 10)).isEmpty();
    assertThat(told).containsExactly("deleted " + TokenId.fromLong(1));
    // The name and the slot are free again.
    assertThat(store.insert(token(2, "ann@example.com", "ci"), 1))
        .isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  void listCorp_newestFirstThenIdDescending_pagesWithoutGapsOrDuplicates() {
    Random random = new Random(Seeds.seed("InMemoryTokenStoreTest.listCorp_pages", 21L));
    List<TokenRecord> all = new ArrayList<>();
    String[] owners = {"ann@example.com", "bob@example.com", "cy@example.com"};
    for (int i = 0; i < 120; i++) {
      // Few distinct instants, so many ties are broken by id.
      TokenRecord t =
          token(
              random.nextLong() & Long.MAX_VALUE,
              owners[i % 3],
              "t" + i,
              T0.plusMillis(random.nextInt(10)));
      assertThat(store.insert(t, 100)).isEqualTo(InsertOutcome.INSERTED);
      all.add(t);
    }
    List<TokenRecord> expected = new ArrayList<>(all);
    expected.sort(
        Comparator.comparing(TokenRecord::created).thenComparing(TokenRecord::id).reversed());
    for (@Nullable String owner : new String[] {null, "BOB@example.com"}) {
      List<TokenRecord> want =
          expected.stream()
              .filter(t -> owner == null || t.ownerEmail().equalsIgnoreCase(owner))
              .toList();
      List<TokenRecord> got = new ArrayList<>();
      @Nullable ListPosition after = null;
      while (true) {
        int limit = 1 + random.nextInt(17);
        List<TokenRecord> page = store.listCorp("acme", owner, after, limit);
        assertThat(page.size()).isLessThanOrEqualTo(limit);
        if (page.isEmpty()) {
          break;
        }
        got.addAll(page);
        after = ListPosition.of(page.get(page.size() - 1));
      }
      assertThat(got).containsExactlyElementsOf(want);
    }
    assertThat(store.listCorp("nobody", null, null, 5)).isEmpty();
  }

  @Test
  void recordUsage_mergedIntoStoredAndDroppedForDeleted() {
    store.insert(token(1, "ann@example.com", "ci"), 5);
    store.insert(token(2, "ann@example.com", "cd"), 5);
    store.delete(TokenId.fromLong(2));
    store.recordUsage(
        List.of(
            new UsageUpdate(TokenId.fromLong(1), T0.plusSeconds(5), List.of("10.0.0.1")),
            new UsageUpdate(TokenId.fromLong(2), T0.plusSeconds(5), List.of("10.0.0.1")),
            new UsageUpdate(TokenId.fromLong(1), T0.plusSeconds(3), List.of("10.0.0.2"))));
    TokenRecord used = store.find(TokenId.fromLong(1)).orElseThrow();
    assertThat(used.lastUsed()).isEqualTo(T0.plusSeconds(5));
    assertThat(used.recentIps()).containsExactly("10.0.0.2", "10.0.0.1");
    assertThat(store.find(TokenId.fromLong(2))).isEmpty();
    assertThat(store.listCorp("acme", null, null, 5)).containsExactly(used);
  }

  @Test
  void replaceSettings_compareAndSet() {
    TokenSettings defaults = TokenSettings.defaults();
    TokenSettings thirty = defaults.withExpiry(ExpiryPolicy.days(30));
    assertThat(store.settings("acme")).isEqualTo(defaults);
    assertThat(store.replaceSettings("acme", thirty, defaults)).isFalse();
    assertThat(told).isEmpty();
    assertThat(store.replaceSettings("acme", defaults, thirty)).isTrue();
    assertThat(store.replaceSettings("acme", defaults, defaults.withRestricted(true))).isFalse();
    assertThat(store.settings("acme")).isEqualTo(thirty);
    assertThat(store.replaceSettings("acme", thirty, defaults)).isTrue();
    assertThat(store.replaceSettings("acme", defaults, thirty)).isTrue();
    assertThat(store.settings("globex")).isEqualTo(defaults);
    assertThat(told).containsExactly("changed acme", "changed acme", "changed acme");
  }

  @Test
  void setPermission_returnsPreviousAndTellsOnlyOnChange() {
    assertThat(store.setPermission("acme", "Ann@Example.com", true)).isFalse();
    assertThat(store.setPermission("acme", "ann@example.com", true)).isTrue();
    assertThat(store.permittedUsers("acme")).containsExactly("ann@example.com");
    assertThat(store.permittedUsers("globex")).isEmpty();
    assertThatThrownBy(() -> store.permittedUsers("acme").add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(store.setPermission("acme", "ANN@example.com", false)).isTrue();
    assertThat(store.setPermission("acme", "ann@example.com", false)).isFalse();
    assertThat(store.permittedUsers("acme")).isEmpty();
    assertThat(told).containsExactly("changed acme", "changed acme");
  }

  @Test
  void toString_countsOnly() {
    store.insert(token(1, "ann@example.com", "secret-looking-name"), 5);
    assertThat(store.toString())
        .isEqualTo("InMemoryTokenStore[1 tokens, 1 corps]")
        .doesNotContain("secret-looking-name", "ann@");
  }

  @Test
  void listByOwner_oldestFirst_whateverTheInsertionOrder() {
    store.insert(token(3, "ann@example.com", "c", T0.plusSeconds(20)), 5);
    store.insert(token(1, "ann@example.com", "a", T0.plusSeconds(30)), 5);
    store.insert(token(2, "ann@example.com", "b", T0.plusSeconds(10)), 5);
    assertThat(store.listByOwner("acme", "ann@example.com"))
        .extracting(TokenRecord::name)
        .containsExactly("b", "c", "a");
  }

  @Test
  void delete_oneOfTwoTokens_keepsTheOtherListedAndCounted() {
    store.insert(token(1, "ann@example.com", "a"), 2);
    store.insert(token(2, "ann@example.com", "b"), 2);
    store.delete(TokenId.fromLong(1));
    assertThat(store.listByOwner("acme", "ann@example.com"))
        .extracting(TokenRecord::name)
        .containsExactly("b");
    assertThat(store.insert(token(3, "ann@example.com", "c"), 2)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insert(token(4, "ann@example.com", "d"), 2))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
  }

  @Test
  void listCorp_limitOfOne_accepted_zeroRefused() {
    store.insert(token(1, "ann@example.com", "a"), 2);
    assertThat(store.listCorp("acme", null, null, 1)).hasSize(1);
    assertThatThrownBy(() -> store.listCorp("acme", null, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be at least 1, got 0");
  }

  @Test
  void feedStatus_connectedWithoutLag_listenersAreToldSynchronously() {
    assertThat(new InMemoryTokenStore().feedStatus())
        .isEqualTo(FeedStatus.connected(0, Duration.ZERO));
  }
}
