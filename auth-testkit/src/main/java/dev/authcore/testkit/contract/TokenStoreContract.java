package dev.authcore.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.TokenId;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.BlockedTally;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.TokenStore.InsertOutcome;
import dev.authcore.spi.UsageUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TokenStore} must meet, as JUnit 5 tests: extend this class, implement
 * {@link #newStore()}, and run it with the store's other tests.
 *
 * <pre>{@code
 * class InMemoryTokenStoreTest extends TokenStoreContract {
 *   @Override
 *   protected TokenStore newStore() {
 *     return new InMemoryTokenStore();
 *   }
 * }
 * }</pre>
 *
 * <p><b>What it checks:</b> round trips of every field; the per-owner limit, also under 1,000
 * concurrent inserts for one owner; name uniqueness per owner ignoring case; listing order (created
 * descending, then id descending) and paging with {@link ListPosition} without duplicates or gaps;
 * the owner filter; usage merging ({@link UsageUpdate#merge}); deletes; settings compare-and-set;
 * permissions; paging through the corps holding tokens; expiry-notice records (once per notice,
 * never after a later one, atomic under concurrency, gone with their token); and that listeners
 * hear of deletes and corp changes before the changing method returns.
 *
 * <p><b>Isolation:</b> every test uses fresh corp and owner names, so {@link #newStore()} may
 * return a store over a database shared by all tests. Concurrency tests run on {@link
 * #concurrency()} threads and fail, rather than hang, if the store deadlocks ({@link
 * #concurrencyTimeout()}).
 */
public abstract class TokenStoreContract {
  /** The store under test, made by {@link #newStore()} before each test. */
  private @Nullable TokenStore store;

  private final String corp = ContractSupport.uniqueCorp();
  private final String otherCorp = ContractSupport.uniqueCorp();
  private final String ann = ContractSupport.uniqueEmail("ann");
  private final String bob = ContractSupport.uniqueEmail("bob");
  private final Instant t0 = Instant.parse("2026-03-01T09:00:00Z");

  /**
   * A store to test. It may hold data of earlier tests (the suite never reuses names) but must not
   * be shared with anything that changes the names this suite uses.
   */
  protected abstract TokenStore newStore() throws Exception;

  /** Releases a store made by {@link #newStore()}; does nothing by default. */
  protected void disposeStore(TokenStore store) throws Exception {}

  /** Threads used by the concurrency tests; 16 by default. */
  protected int concurrency() {
    return 16;
  }

  /** How long a concurrency test may run before it is declared hung; 60 seconds by default. */
  protected Duration concurrencyTimeout() {
    return Duration.ofSeconds(60);
  }

  @BeforeEach
  final void createStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  final void releaseStore() throws Exception {
    TokenStore s = store;
    store = null;
    if (s != null) {
      disposeStore(s);
    }
  }

  /** The store of the running test. */
  protected final TokenStore store() {
    TokenStore s = store;
    if (s == null) {
      throw new IllegalStateException("no store: newStore() has not run for this test");
    }
    return s;
  }

  // ---- round trips ---------------------------------------------------------------------------

  @Test
  void insert_thenFind_returnsEveryField() {
    TokenRecord token =
        new TokenRecord(
            TokenId.random(ThreadLocalRandom.current()),
            corp,
            "Ann.Lee+CI@Example.com",
            "Déploiement 🔑 prod",
            t0,
            t0.plus(Duration.ofDays(30)),
            SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k-2026.1", ContractSupport.bytes(32)),
            null,
            List.of());
    assertThat(store().insert(token, 5)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store().find(token.id())).contains(token);
  }

  @Test
  void insert_withoutOwnExpiry_findsNoExpiry() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Optional<TokenRecord> found = store().find(token.id());
    assertThat(found).contains(token);
    assertThat(found.orElseThrow().expiresAt()).isNull();
    assertThat(found.orElseThrow().lastUsed()).isNull();
    assertThat(found.orElseThrow().recentIps()).isEmpty();
  }

  @Test
  void insert_extremeIdsAndInstants_roundTrip() {
    List<TokenRecord> tokens =
        List.of(
            ContractSupport.record(TokenId.fromLong(0), corp, ann, "zero", Instant.EPOCH, null),
            ContractSupport.record(TokenId.fromLong(Long.MAX_VALUE), corp, ann, "max", t0, null),
            ContractSupport.record(
                TokenId.fromLong(Long.MIN_VALUE),
                corp,
                ann,
                "min",
                Instant.parse("2999-12-31T23:59:59.999Z"),
                Instant.parse("3000-01-01T00:00:00Z")));
    for (TokenRecord token : tokens) {
      assertThat(store().insert(token, 5))
          .as("insert %s", token.name())
          .isEqualTo(InsertOutcome.INSERTED);
    }
    for (TokenRecord token : tokens) {
      assertThat(store().find(token.id())).as("find %s", token.name()).contains(token);
    }
  }

  @Test
  void find_unknownId_isEmpty() {
    assertThat(store().find(TokenId.random(ThreadLocalRandom.current()))).isEmpty();
  }

  @Test
  void insert_idTaken_storesNothing() {
    TokenRecord first = token(ann, "ci", t0);
    TokenRecord clash =
        ContractSupport.record(first.id(), corp, bob, "other", t0.plusSeconds(1), null);
    store().insert(first, 5);
    assertThat(store().insert(clash, 5)).isEqualTo(InsertOutcome.ID_TAKEN);
    assertThat(store().find(first.id())).contains(first);
    assertThat(store().listByOwner(corp, bob)).isEmpty();
  }

  // ---- the per-owner limit -------------------------------------------------------------------

  @Test
  void insert_atLimit_limitReached() {
    for (int i = 0; i < 3; i++) {
      assertThat(store().insert(token(ann, "t" + i, t0.plusSeconds(i)), 3))
          .isEqualTo(InsertOutcome.INSERTED);
    }
    TokenRecord fourth = token(ann, "t3", t0.plusSeconds(3));
    assertThat(store().insert(fourth, 3)).isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store().find(fourth.id())).isEmpty();
    assertThat(store().listByOwner(corp, ann)).hasSize(3);
  }

  @Test
  void insert_limitCountsOwnerEmailIgnoringCase() {
    store().insert(token(ann, "a", t0), 2);
    store().insert(token(ann.toUpperCase(java.util.Locale.ROOT), "b", t0.plusSeconds(1)), 2);
    assertThat(store().insert(token(ann, "c", t0.plusSeconds(2)), 2))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
  }

  @Test
  void insert_limitIsPerOwner() {
    store().insert(token(ann, "a", t0), 1);
    assertThat(store().insert(token(bob, "a", t0), 1)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store().insert(token(ann, "b", t0), 1)).isEqualTo(InsertOutcome.LIMIT_REACHED);
  }

  @Test
  void insert_afterDelete_slotIsFree() {
    TokenRecord first = token(ann, "a", t0);
    store().insert(first, 1);
    store().delete(first.id());
    assertThat(store().insert(token(ann, "b", t0.plusSeconds(1)), 1))
        .isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  void insert_thousandConcurrentForOneOwner_storesExactlyTheLimit() {
    int limit = 5;
    List<InsertOutcome> outcomes =
        ContractSupport.concurrently(
            1000,
            concurrency(),
            concurrencyTimeout(),
            i -> store().insert(token(ann, "token " + i, t0.plusMillis(i)), limit));
    Map<InsertOutcome, Integer> counts = count(outcomes);
    assertThat(counts.getOrDefault(InsertOutcome.INSERTED, 0)).as("inserted").isEqualTo(limit);
    assertThat(counts.getOrDefault(InsertOutcome.LIMIT_REACHED, 0))
        .as("refused at the limit")
        .isEqualTo(1000 - limit);
    assertThat(store().listByOwner(corp, ann)).hasSize(limit);
    assertThat(store().listCorp(corp, null, null, 100)).hasSize(limit);
  }

  @Test
  void insert_thousandConcurrentOfOneNameInVaryingCase_storesOne() {
    List<InsertOutcome> outcomes =
        ContractSupport.concurrently(
            1000,
            concurrency(),
            concurrencyTimeout(),
            i -> store().insert(token(ann, i % 2 == 0 ? "Deploy" : "dEPLOY", t0), 5));
    Map<InsertOutcome, Integer> counts = count(outcomes);
    assertThat(counts.getOrDefault(InsertOutcome.INSERTED, 0)).as("inserted").isEqualTo(1);
    assertThat(counts.getOrDefault(InsertOutcome.NAME_TAKEN, 0)).as("name taken").isEqualTo(999);
    assertThat(store().listByOwner(corp, ann)).hasSize(1);
  }

  @Test
  void insert_concurrentForManyOwners_eachGetsExactlyTheLimit() {
    int owners = 10;
    List<String> emails = new ArrayList<>();
    for (int o = 0; o < owners; o++) {
      emails.add(ContractSupport.uniqueEmail("many" + o));
    }
    ContractSupport.concurrently(
        owners * 40,
        concurrency(),
        concurrencyTimeout(),
        i -> store().insert(token(emails.get(i % owners), "n" + i, t0.plusMillis(i)), 3));
    for (String email : emails) {
      assertThat(store().listByOwner(corp, email)).as("tokens of %s", email).hasSize(3);
    }
    assertThat(store().listCorp(corp, null, null, 1000)).hasSize(owners * 3);
  }

  // ---- names ---------------------------------------------------------------------------------

  @Test
  void insert_nameTakenIgnoringCase_nameTaken() {
    store().insert(token(ann, "Deploy Key", t0), 5);
    TokenRecord again = token(ann, "dEPLOY kEY", t0.plusSeconds(1));
    assertThat(store().insert(again, 5)).isEqualTo(InsertOutcome.NAME_TAKEN);
    assertThat(store().find(again.id())).isEmpty();
  }

  @Test
  void insert_sameNameForOtherOwner_inserted() {
    store().insert(token(ann, "ci", t0), 5);
    assertThat(store().insert(token(bob, "ci", t0), 5)).isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  void insert_nameOfDeletedToken_inserted() {
    TokenRecord first = token(ann, "ci", t0);
    store().insert(first, 5);
    store().delete(first.id());
    assertThat(store().insert(token(ann, "CI", t0.plusSeconds(1)), 5))
        .isEqualTo(InsertOutcome.INSERTED);
  }

  // ---- listing -------------------------------------------------------------------------------

  @Test
  void listByOwner_oldestFirst() {
    TokenRecord middle = token(ann, "b", t0.plusSeconds(10));
    TokenRecord newest = token(ann, "c", t0.plusSeconds(20));
    TokenRecord oldest = token(ann, "a", t0);
    store().insert(middle, 5);
    store().insert(newest, 5);
    store().insert(oldest, 5);
    store().insert(token(bob, "other", t0.plusSeconds(5)), 5);
    assertThat(store().listByOwner(corp, ann.toUpperCase(java.util.Locale.ROOT)))
        .containsExactly(oldest, middle, newest);
  }

  @Test
  void listCorp_newestFirstThenIdDescending() {
    List<TokenRecord> tokens = manyTokens(24, 6);
    List<TokenRecord> expected = sortedForListing(tokens);
    assertThat(store().listCorp(corp, null, null, 1000)).containsExactlyElementsOf(expected);
  }

  @Test
  void listCorp_pagesWithoutDuplicatesOrGaps() {
    List<TokenRecord> expected = sortedForListing(manyTokens(37, 8));
    for (int pageSize : new int[] {1, 2, 5, 7, 36, 37, 100}) {
      List<TokenRecord> seen = new ArrayList<>();
      @Nullable ListPosition after = null;
      for (int pages = 0; pages <= expected.size(); pages++) {
        List<TokenRecord> page = store().listCorp(corp, null, after, pageSize);
        assertThat(page.size())
            .as("page size with limit %s", pageSize)
            .isLessThanOrEqualTo(pageSize);
        if (page.isEmpty()) {
          break;
        }
        seen.addAll(page);
        after = ListPosition.of(page.get(page.size() - 1));
      }
      assertThat(seen).as("all pages of %s", pageSize).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void listCorp_tokenAtPositionDeletedBetweenPages_continuesAfterIt() {
    List<TokenRecord> expected = sortedForListing(manyTokens(10, 5));
    List<TokenRecord> first = store().listCorp(corp, null, null, 4);
    TokenRecord last = first.get(3);
    store().delete(last.id());
    List<TokenRecord> rest = store().listCorp(corp, null, ListPosition.of(last), 100);
    assertThat(rest).containsExactlyElementsOf(expected.subList(4, expected.size()));
  }

  @Test
  void listCorp_ownerFilterIgnoresCase() {
    List<TokenRecord> tokens = manyTokens(12, 3);
    String owner = tokens.get(0).ownerEmail();
    List<TokenRecord> expected = new ArrayList<>();
    for (TokenRecord t : sortedForListing(tokens)) {
      if (t.ownerEmail().equals(owner)) {
        expected.add(t);
      }
    }
    List<TokenRecord> seen = new ArrayList<>();
    @Nullable ListPosition after = null;
    for (int i = 0; i < 10; i++) {
      List<TokenRecord> page =
          store().listCorp(corp, owner.toUpperCase(java.util.Locale.ROOT), after, 2);
      if (page.isEmpty()) {
        break;
      }
      seen.addAll(page);
      after = ListPosition.of(page.get(page.size() - 1));
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void listCorp_otherCorpsExcluded() {
    TokenRecord mine = token(ann, "ci", t0);
    TokenRecord theirs = ContractSupport.record(otherCorp, ann, "ci", t0);
    store().insert(mine, 5);
    store().insert(theirs, 5);
    assertThat(store().listCorp(corp, null, null, 10)).containsExactly(mine);
    assertThat(store().listCorp(otherCorp, null, null, 10)).containsExactly(theirs);
    assertThat(store().listCorp(ContractSupport.uniqueCorp(), null, null, 10)).isEmpty();
    assertThat(store().listByOwner(otherCorp, bob)).isEmpty();
  }

  @Test
  void listCorp_limitBelowOne_throwsIllegalArgument() {
    assertThatThrownBy(() -> store().listCorp(corp, null, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listCorp_showsRecordedUsage() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Instant used = t0.plusSeconds(60);
    store().recordUsage(List.of(new UsageUpdate(token.id(), used, List.of("10.0.0.1"))));
    assertThat(store().listCorp(corp, null, null, 10))
        .containsExactly(token.withUsage(used, List.of("10.0.0.1")));
    assertThat(store().listByOwner(corp, ann))
        .containsExactly(token.withUsage(used, List.of("10.0.0.1")));
  }

  // ---- usage ---------------------------------------------------------------------------------

  @Test
  void recordUsage_laterLastUsedWins() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Instant later = t0.plusSeconds(200);
    store().recordUsage(List.of(new UsageUpdate(token.id(), later, List.of("10.0.0.2"))));
    store().recordUsage(List.of(new UsageUpdate(token.id(), t0.plusSeconds(100), List.of())));
    assertThat(store().find(token.id()).orElseThrow().lastUsed()).isEqualTo(later);
  }

  @Test
  void recordUsage_ipsNewestFirstDistinctAtMostTen() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store()
        .recordUsage(
            List.of(
                new UsageUpdate(
                    token.id(), t0.plusSeconds(1), List.of("10.0.0.3", "10.0.0.2", "10.0.0.1"))));
    store()
        .recordUsage(
            List.of(
                new UsageUpdate(
                    token.id(), t0.plusSeconds(2), List.of("2001:db8::4", "10.0.0.2"))));
    assertThat(store().find(token.id()).orElseThrow().recentIps())
        .containsExactly("2001:db8::4", "10.0.0.2", "10.0.0.3", "10.0.0.1");
    List<String> ten = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ten.add("192.0.2." + i);
    }
    store().recordUsage(List.of(new UsageUpdate(token.id(), t0.plusSeconds(3), ten)));
    List<String> expected = new ArrayList<>(ten);
    expected.add("2001:db8::4");
    assertThat(store().find(token.id()).orElseThrow().recentIps())
        .containsExactlyElementsOf(expected);
    assertThat(store().find(token.id()).orElseThrow().lastUsed()).isEqualTo(t0.plusSeconds(3));
  }

  @Test
  void recordUsage_mergesAsUsageUpdateSays() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    TokenRecord model = token;
    for (int round = 0; round < 30; round++) {
      List<String> ips = new ArrayList<>();
      int n = random.nextInt(4);
      while (ips.size() < n) {
        String ip = "198.51.100." + random.nextInt(16);
        if (!ips.contains(ip)) {
          ips.add(ip);
        }
      }
      UsageUpdate update = new UsageUpdate(token.id(), t0.plusSeconds(random.nextInt(1000)), ips);
      store().recordUsage(List.of(update));
      model = update.merge(model);
      assertThat(store().find(token.id())).as("after %s", update).contains(model);
    }
  }

  @Test
  void recordUsage_deletedTokenDroppedOthersApplied() {
    TokenRecord gone = token(ann, "gone", t0);
    TokenRecord kept = token(ann, "kept", t0.plusSeconds(1));
    store().insert(gone, 5);
    store().insert(kept, 5);
    store().delete(gone.id());
    Instant used = t0.plusSeconds(9);
    store()
        .recordUsage(
            List.of(
                new UsageUpdate(gone.id(), used, List.of("10.9.9.9")),
                new UsageUpdate(kept.id(), used, List.of("10.1.1.1"))));
    assertThat(store().find(gone.id())).isEmpty();
    assertThat(store().find(kept.id())).contains(kept.withUsage(used, List.of("10.1.1.1")));
    assertThat(store().listByOwner(corp, ann))
        .containsExactly(kept.withUsage(used, List.of("10.1.1.1")));
  }

  @Test
  void recordUsage_unknownIdAndEmptyBatch_changeNothing() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().recordUsage(List.of());
    store()
        .recordUsage(
            List.of(
                new UsageUpdate(
                    TokenId.random(ThreadLocalRandom.current()), t0, List.of("10.0.0.1"))));
    assertThat(store().find(token.id())).contains(token);
  }

  @Test
  void recordUsage_concurrentBatches_keepLatestLastUsed() {
    List<TokenRecord> tokens = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TokenRecord t = token(ann, "t" + i, t0.plusSeconds(i));
      store().insert(t, 5);
      tokens.add(t);
    }
    ContractSupport.concurrently(
        400,
        concurrency(),
        concurrencyTimeout(),
        i -> {
          store()
              .recordUsage(
                  List.of(
                      new UsageUpdate(
                          tokens.get(i % 4).id(),
                          t0.plusSeconds(1000 + i),
                          List.of("203.0.113." + (i % 50)))));
          return i;
        });
    for (int k = 0; k < 4; k++) {
      TokenRecord stored = store().find(tokens.get(k).id()).orElseThrow();
      assertThat(stored.lastUsed()).as("token %s", k).isEqualTo(t0.plusSeconds(1000 + 396 + k));
      assertThat(stored.recentIps()).hasSize(TokenRecord.MAX_RECENT_IPS).doesNotHaveDuplicates();
    }
  }

  // ---- deletes -------------------------------------------------------------------------------

  @Test
  void delete_returnsRecordThenEmpty() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Instant used = t0.plusSeconds(5);
    store().recordUsage(List.of(new UsageUpdate(token.id(), used, List.of("10.0.0.1"))));
    assertThat(store().delete(token.id())).contains(token.withUsage(used, List.of("10.0.0.1")));
    assertThat(store().find(token.id())).isEmpty();
    assertThat(store().delete(token.id())).isEmpty();
    assertThat(store().listByOwner(corp, ann)).isEmpty();
    assertThat(store().listCorp(corp, null, null, 10)).isEmpty();
  }

  @Test
  void delete_unknownId_isEmpty() {
    assertThat(store().delete(TokenId.random(ThreadLocalRandom.current()))).isEmpty();
  }

  @Test
  void delete_concurrentDeletesOfOneToken_exactlyOneReturnsIt() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    List<Optional<TokenRecord>> results =
        ContractSupport.concurrently(
            100, concurrency(), concurrencyTimeout(), i -> store().delete(token.id()));
    assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
  }

  @Test
  void delete_tellsListenersBeforeReturning() {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    store().addListener(first);
    store().addListener(second);
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().delete(token.id());
    assertThat(first.deleted).contains(token.id());
    assertThat(second.deleted).contains(token.id());
  }

  @Test
  void addListener_registrationClosed_thatListenerNoLongerTold() {
    Recorder kept = new Recorder();
    Recorder removed = new Recorder();
    ListenerRegistration keep = store().addListener(kept);
    try {
      ListenerRegistration registration = store().addListener(removed);
      registration.close();
      registration.close(); // idempotent: the other subscription stays
      TokenRecord token = token(ann, "ci", t0);
      store().insert(token, 5);
      store().delete(token.id());
      store()
          .replaceSettings(
              corp, TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true));
      assertThat(kept.deleted).contains(token.id());
      assertThat(kept.corps).contains(corp);
      assertThat(removed.deleted).doesNotContain(token.id());
      assertThat(removed.corps).doesNotContain(corp);
    } finally {
      keep.close();
    }
  }

  // ---- rotation ------------------------------------------------------------------------------

  private static SecretHash randomHash() {
    return SecretHash.of(SecretHash.Algorithm.SHA256, null, ContractSupport.bytes(32));
  }

  @Test
  void insert_rotatedRecord_thenFind_returnsEveryField() {
    TokenRecord token =
        new TokenRecord(
            TokenId.random(ThreadLocalRandom.current()),
            corp,
            ann,
            "rotated",
            t0,
            null,
            randomHash(),
            null,
            List.of(),
            t0.plusSeconds(60),
            randomHash(),
            t0.plus(Duration.ofDays(7)).plusNanos(1));
    assertThat(store().insert(token, 5)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store().find(token.id())).contains(token);
  }

  @Test
  void rotateSecret_withGrace_replacesHashKeepsPreviousAndEverythingElse() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Instant used = t0.plusSeconds(5);
    store().recordUsage(List.of(new UsageUpdate(token.id(), used, List.of("10.0.0.1"))));
    SecretHash next = randomHash();
    Instant rotated = t0.plusSeconds(60);
    Instant graceEnd = rotated.plus(Duration.ofHours(1));

    Optional<TokenRecord> result =
        store().rotateSecret(token.id(), token.hash(), next, rotated, graceEnd);

    TokenRecord expected =
        new TokenRecord(
            token.id(),
            corp,
            token.ownerEmail(),
            "ci",
            t0,
            token.expiresAt(),
            next,
            used,
            List.of("10.0.0.1"),
            rotated,
            token.hash(),
            graceEnd);
    assertThat(result).contains(expected);
    assertThat(store().find(token.id())).contains(expected);
    assertThat(store().listByOwner(corp, ann)).containsExactly(expected);
    assertThat(store().listCorp(corp, null, null, 10)).containsExactly(expected);
  }

  @Test
  void rotateSecret_withoutGrace_keepsNoPreviousAndDropsAnEarlierOne() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    SecretHash second = randomHash();
    SecretHash third = randomHash();
    store().rotateSecret(token.id(), token.hash(), second, t0.plusSeconds(1), t0.plusSeconds(99));

    Optional<TokenRecord> result =
        store().rotateSecret(token.id(), second, third, t0.plusSeconds(2), null);

    assertThat(result).isPresent();
    TokenRecord stored = store().find(token.id()).orElseThrow();
    assertThat(stored.hash()).isEqualTo(third);
    assertThat(stored.rotated()).isEqualTo(t0.plusSeconds(2));
    assertThat(stored.previousHash()).isNull();
    assertThat(stored.previousValidUntil()).isNull();
  }

  @Test
  void rotateSecret_again_previousIsTheSecondHashOnly() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    SecretHash second = randomHash();
    SecretHash third = randomHash();
    store().rotateSecret(token.id(), token.hash(), second, t0.plusSeconds(1), t0.plusSeconds(99));

    store().rotateSecret(token.id(), second, third, t0.plusSeconds(2), t0.plusSeconds(50));

    TokenRecord stored = store().find(token.id()).orElseThrow();
    assertThat(stored.hash()).isEqualTo(third);
    assertThat(stored.previousHash()).isEqualTo(second);
    assertThat(stored.previousValidUntil()).isEqualTo(t0.plusSeconds(50));
  }

  @Test
  void rotateSecret_staleExpectedHash_emptyAndNothingChanged() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Recorder recorder = new Recorder();
    store().addListener(recorder);

    Optional<TokenRecord> result =
        store().rotateSecret(token.id(), randomHash(), randomHash(), t0.plusSeconds(1), null);

    assertThat(result).isEmpty();
    assertThat(store().find(token.id())).contains(token);
    assertThat(recorder.changed).doesNotContain(token.id());
  }

  @Test
  void rotateSecret_unknownOrDeletedId_empty() {
    assertThat(
            store()
                .rotateSecret(
                    TokenId.random(ThreadLocalRandom.current()),
                    randomHash(),
                    randomHash(),
                    t0,
                    null))
        .isEmpty();
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().delete(token.id());
    assertThat(store().rotateSecret(token.id(), token.hash(), randomHash(), t0, null)).isEmpty();
    assertThat(store().find(token.id())).isEmpty();
  }

  @Test
  void rotateSecret_concurrentFromOneHash_exactlyOneWins() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    List<SecretHash> hashes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      hashes.add(randomHash());
    }
    List<Optional<TokenRecord>> results =
        ContractSupport.concurrently(
            50,
            concurrency(),
            concurrencyTimeout(),
            i ->
                store()
                    .rotateSecret(
                        token.id(),
                        token.hash(),
                        hashes.get(i),
                        t0.plusSeconds(1),
                        t0.plusSeconds(9)));
    List<TokenRecord> winners = results.stream().flatMap(Optional::stream).toList();
    assertThat(winners).hasSize(1);
    TokenRecord stored = store().find(token.id()).orElseThrow();
    assertThat(stored).isEqualTo(winners.get(0));
    assertThat(stored.previousHash()).isEqualTo(token.hash());
  }

  @Test
  void rotateSecret_ownerCountUnchanged_limitStillHolds() {
    TokenRecord first = token(ann, "one", t0);
    store().insert(first, 2);
    store().insert(token(ann, "two", t0), 2);

    store().rotateSecret(first.id(), first.hash(), randomHash(), t0.plusSeconds(1), null);

    assertThat(store().insert(token(ann, "three", t0), 2)).isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(store().listByOwner(corp, ann)).hasSize(2);
  }

  @Test
  void rotateSecret_tellsListenersTokenChangedBeforeReturning() {
    Recorder recorder = new Recorder();
    store().addListener(recorder);
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);

    store().rotateSecret(token.id(), token.hash(), randomHash(), t0.plusSeconds(1), null);

    // A shared store's listener may also hear other nodes' changes: only this token matters here.
    assertThat(recorder.changed).containsOnlyOnce(token.id());
    assertThat(recorder.deleted).doesNotContain(token.id());
  }

  // ---- a token's own allow list --------------------------------------------------------------

  @Test
  void setAllowedIps_replacesTheListAndKeepsEverythingElse() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Instant used = t0.plusSeconds(5);
    store().recordUsage(List.of(new UsageUpdate(token.id(), used, List.of("10.0.0.1"))));
    SecretHash next = randomHash();
    Instant rotated = t0.plusSeconds(60);
    Instant graceEnd = rotated.plus(Duration.ofHours(1));
    store().rotateSecret(token.id(), token.hash(), next, rotated, graceEnd);

    Optional<TokenRecord> result = store().setAllowedIps(token.id(), "10.1.0.0/16\n");

    TokenRecord expected =
        new TokenRecord(
            token.id(),
            corp,
            token.ownerEmail(),
            "ci",
            t0,
            token.expiresAt(),
            next,
            used,
            List.of("10.0.0.1"),
            rotated,
            token.hash(),
            graceEnd,
            "10.1.0.0/16\n");
    assertThat(result).contains(expected);
    assertThat(store().find(token.id())).contains(expected);
    assertThat(store().listByOwner(corp, ann)).containsExactly(expected);
    assertThat(store().listCorp(corp, null, null, 10)).containsExactly(expected);
  }

  @Test
  void setAllowedIps_nullOrEmpty_removesTheList() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().setAllowedIps(token.id(), "10.1.0.0/16\n2001:db8::/32\n");
    assertThat(store().find(token.id()).orElseThrow().allowedIps())
        .isEqualTo("10.1.0.0/16\n2001:db8::/32\n");

    assertThat(store().setAllowedIps(token.id(), null).orElseThrow().allowedIps()).isNull();
    assertThat(store().find(token.id())).contains(token);
    store().setAllowedIps(token.id(), "10.1.0.0/16\n");
    assertThat(store().setAllowedIps(token.id(), "").orElseThrow().allowedIps()).isNull();
    assertThat(store().find(token.id())).contains(token);
  }

  @Test
  void setAllowedIps_keptByRotationAndUsage() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().setAllowedIps(token.id(), "10.1.0.0/16\n");

    store().rotateSecret(token.id(), token.hash(), randomHash(), t0.plusSeconds(1), null);
    store()
        .recordUsage(List.of(new UsageUpdate(token.id(), t0.plusSeconds(2), List.of("10.1.0.1"))));

    assertThat(store().find(token.id()).orElseThrow().allowedIps()).isEqualTo("10.1.0.0/16\n");
  }

  @Test
  void insert_recordWithItsOwnList_thenFind_returnsIt() {
    TokenRecord token = token(ann, "ci", t0).withAllowedIps("192.0.2.0/24\n");
    assertThat(store().insert(token, 5)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store().find(token.id())).contains(token);
  }

  @Test
  void setAllowedIps_unknownOrDeletedId_emptyAndNothingStored() {
    assertThat(store().setAllowedIps(TokenId.random(ThreadLocalRandom.current()), "10.0.0.1\n"))
        .isEmpty();
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().delete(token.id());
    assertThat(store().setAllowedIps(token.id(), "10.0.0.1\n")).isEmpty();
    assertThat(store().find(token.id())).isEmpty();
  }

  @Test
  void setAllowedIps_tellsListenersTokenChangedBeforeReturning() {
    Recorder recorder = new Recorder();
    store().addListener(recorder);
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);

    store().setAllowedIps(token.id(), "10.1.0.0/16\n");

    assertThat(recorder.changed).containsOnlyOnce(token.id());
    assertThat(recorder.deleted).doesNotContain(token.id());
  }

  // ---- settings ------------------------------------------------------------------------------

  @Test
  void settings_neverSet_defaults() {
    assertThat(store().settings(corp)).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void replaceSettings_expectedMatches_replaced() {
    TokenSettings updated =
        TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)).withRestricted(true);
    assertThat(store().replaceSettings(corp, TokenSettings.defaults(), updated)).isTrue();
    assertThat(store().settings(corp)).isEqualTo(updated);
    TokenSettings again = updated.withExpiry(ExpiryPolicy.after(Duration.ofDays(36)));
    assertThat(store().replaceSettings(corp, updated, again)).isTrue();
    assertThat(store().settings(corp)).isEqualTo(again);
    assertThat(store().settings(otherCorp)).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void replaceSettings_inactiveDays_keptAndComparedLikeTheRest() {
    TokenSettings inactive = TokenSettings.defaults().withInactiveDays(30);
    assertThat(store().replaceSettings(corp, TokenSettings.defaults(), inactive)).isTrue();
    assertThat(store().settings(corp)).isEqualTo(inactive);
    assertThat(store().settings(corp).inactiveDays()).isEqualTo(30);
    // a stale expected value differing only in the days is refused
    TokenSettings other = inactive.withInactiveDays(90);
    assertThat(store().replaceSettings(corp, inactive.withInactiveDays(31), other)).isFalse();
    assertThat(store().settings(corp)).isEqualTo(inactive);
    assertThat(store().replaceSettings(corp, inactive, other)).isTrue();
    assertThat(store().settings(corp).inactiveDays()).isEqualTo(90);
    assertThat(store().replaceSettings(corp, other, other.withInactiveDays(null))).isTrue();
    assertThat(store().settings(corp).inactiveDays()).isNull();
  }

  @Test
  void replaceSettings_stagedList_keptAndComparedLikeTheRest() {
    StagedAllowList staged =
        new StagedAllowList(IpAllowList.parse("10.0.0.0/8\n2001:db8::/32"), t0);
    TokenSettings withStaged = TokenSettings.defaults().withStaged(staged);
    assertThat(store().replaceSettings(corp, TokenSettings.defaults(), withStaged)).isTrue();
    assertThat(store().settings(corp)).isEqualTo(withStaged);
    assertThat(store().settings(corp).staged()).isEqualTo(staged);
    // a stale expected value differing only in the staging instant, or the list, is refused
    TokenSettings restaged =
        withStaged.withStaged(new StagedAllowList(staged.allowedIps(), t0.plusMillis(1)));
    assertThat(store().replaceSettings(corp, restaged, TokenSettings.defaults())).isFalse();
    TokenSettings otherList =
        withStaged.withStaged(new StagedAllowList(IpAllowList.parse("10.0.0.0/8"), t0));
    assertThat(store().replaceSettings(corp, otherList, TokenSettings.defaults())).isFalse();
    assertThat(store().settings(corp)).isEqualTo(withStaged);
    assertThat(store().replaceSettings(corp, withStaged, restaged)).isTrue();
    assertThat(store().settings(corp)).isEqualTo(restaged);
    assertThat(store().replaceSettings(corp, restaged, restaged.withStaged(null))).isTrue();
    assertThat(store().settings(corp).staged()).isNull();
  }

  @Test
  void recordBlocked_addsUpPerStaging_laterStagingReplaces_earlierDropped() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    Instant first = t0.plusSeconds(60);
    Instant second = t0.plusSeconds(120);
    store().recordBlocked(List.of(new BlockedTally(token.id(), first, 2, List.of("192.0.2.1"))));
    store()
        .recordBlocked(
            List.of(
                new BlockedTally(token.id(), first, 3, List.of("192.0.2.2", "192.0.2.1")),
                new BlockedTally(token.id(), first, 1, List.of("192.0.2.3"))));
    assertThat(store().blocked(corp, first))
        .containsExactly(
            Map.entry(
                token.id(),
                new BlockedTally(
                    token.id(), first, 6, List.of("192.0.2.3", "192.0.2.2", "192.0.2.1"))));
    assertThat(store().blocked(corp, second)).isEmpty();
    assertThat(store().blocked(otherCorp, first)).isEmpty();

    store().recordBlocked(List.of(new BlockedTally(token.id(), second, 4, List.of("10.9.9.9"))));
    store().recordBlocked(List.of(new BlockedTally(token.id(), first, 5, List.of("10.1.1.1"))));
    assertThat(store().blocked(corp, second))
        .containsExactly(
            Map.entry(token.id(), new BlockedTally(token.id(), second, 4, List.of("10.9.9.9"))));
    assertThat(store().blocked(corp, first)).isEmpty();
  }

  @Test
  void recordBlocked_keepsTheTenNewestAddresses() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    @Nullable BlockedTally model = null;
    for (int i = 0; i < 14; i++) {
      BlockedTally tally = new BlockedTally(token.id(), t0, 1, List.of("198.51.100." + i));
      store().recordBlocked(List.of(tally));
      model = tally.merge(model);
    }
    BlockedTally merged = java.util.Objects.requireNonNull(model);
    assertThat(store().blocked(corp, t0)).containsExactly(Map.entry(token.id(), merged));
    assertThat(merged.count()).isEqualTo(14);
    assertThat(merged.ips()).hasSize(BlockedTally.MAX_IPS).startsWith("198.51.100.13");
  }

  @Test
  void recordBlocked_ofADeletedToken_isDropped_andDeletingDropsTheTally() {
    TokenRecord gone = token(ann, "gone", t0);
    TokenRecord kept = token(ann, "kept", t0.plusSeconds(1));
    store().insert(gone, 5);
    store().insert(kept, 5);
    store().recordBlocked(List.of(new BlockedTally(gone.id(), t0, 1, List.of("192.0.2.1"))));
    store().delete(gone.id());
    store()
        .recordBlocked(
            List.of(
                new BlockedTally(gone.id(), t0, 1, List.of("192.0.2.1")),
                new BlockedTally(kept.id(), t0, 1, List.of("192.0.2.1"))));
    assertThat(store().blocked(corp, t0)).containsOnlyKeys(kept.id());
    store().recordBlocked(List.of());
    assertThat(store().blocked(corp, t0)).containsOnlyKeys(kept.id());
  }

  @Test
  void replaceSettings_staleExpected_refusedAndUnchanged() {
    TokenSettings current = TokenSettings.defaults().withRestricted(true);
    store().replaceSettings(corp, TokenSettings.defaults(), current);
    TokenSettings stale = TokenSettings.defaults();
    assertThat(
            store()
                .replaceSettings(
                    corp, stale, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90))))
        .isFalse();
    assertThat(store().settings(corp)).isEqualTo(current);
  }

  @Test
  void replaceSettings_backToDefaultsAndAway_works() {
    TokenSettings restricted = TokenSettings.defaults().withRestricted(true);
    assertThat(store().replaceSettings(corp, TokenSettings.defaults(), restricted)).isTrue();
    assertThat(store().replaceSettings(corp, restricted, TokenSettings.defaults())).isTrue();
    assertThat(store().settings(corp)).isEqualTo(TokenSettings.defaults());
    assertThat(store().replaceSettings(corp, restricted, TokenSettings.defaults())).isFalse();
    assertThat(store().replaceSettings(corp, TokenSettings.defaults(), restricted)).isTrue();
    assertThat(store().settings(corp)).isEqualTo(restricted);
  }

  @Test
  void replaceSettings_concurrentFromSameExpected_exactlyOneWins() {
    List<Boolean> won =
        ContractSupport.concurrently(
            200,
            concurrency(),
            concurrencyTimeout(),
            i ->
                store()
                    .replaceSettings(
                        corp,
                        TokenSettings.defaults(),
                        TokenSettings.defaults().withExpiry(ExpiryPolicy.days(1 + i))));
    assertThat(won.stream().filter(w -> w).count()).isEqualTo(1);
    int winner = won.indexOf(true);
    assertThat(store().settings(corp))
        .isEqualTo(TokenSettings.defaults().withExpiry(ExpiryPolicy.days(1 + winner)));
  }

  @Test
  void replaceSettings_tellsListenersBeforeReturning() {
    Recorder listener = new Recorder();
    store().addListener(listener);
    store()
        .replaceSettings(
            corp, TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true));
    assertThat(listener.corps).contains(corp);
  }

  // ---- permissions ---------------------------------------------------------------------------

  @Test
  void setPermission_returnsWhetherHeldBefore() {
    assertThat(store().setPermission(corp, ann, true)).as("first grant").isFalse();
    assertThat(store().setPermission(corp, ann, true)).as("second grant").isTrue();
    assertThat(store().setPermission(corp, ann, false)).as("first revoke").isTrue();
    assertThat(store().setPermission(corp, ann, false)).as("second revoke").isFalse();
    assertThat(store().permittedUsers(corp)).isEmpty();
  }

  @Test
  void permittedUsers_areEmailKeysIgnoringCase() {
    String mixed = "Ann.Lee." + ContractSupport.uniqueEmail("x").replace("x", "X");
    store().setPermission(corp, mixed, true);
    String key = mixed.toLowerCase(java.util.Locale.ROOT);
    assertThat(store().permittedUsers(corp)).containsExactly(key);
    assertThat(store().setPermission(corp, key.toUpperCase(java.util.Locale.ROOT), true)).isTrue();
    assertThat(store().setPermission(corp, key, false)).isTrue();
    assertThat(store().permittedUsers(corp)).isEmpty();
  }

  @Test
  void permittedUsers_perCorp() {
    store().setPermission(corp, ann, true);
    store().setPermission(otherCorp, bob, true);
    assertThat(store().permittedUsers(corp)).containsExactly(ann);
    assertThat(store().permittedUsers(otherCorp)).containsExactly(bob);
    assertThat(store().permittedUsers(ContractSupport.uniqueCorp())).isEmpty();
  }

  @Test
  void permissions_rememberedAcrossRestrictionOffAndOn() {
    store().setPermission(corp, ann, true);
    TokenSettings on = TokenSettings.defaults().withRestricted(true);
    store().replaceSettings(corp, TokenSettings.defaults(), on);
    store().replaceSettings(corp, on, TokenSettings.defaults());
    store().replaceSettings(corp, TokenSettings.defaults(), on);
    assertThat(store().permittedUsers(corp)).containsExactly(ann);
  }

  @Test
  void setPermission_tellsListenersBeforeReturning() {
    Recorder listener = new Recorder();
    store().addListener(listener);
    // A shared store may also hear changes from its feed (its own, replayed, or other corps'):
    // notification is at least once, so count this corp's calls rather than all calls.
    store().setPermission(corp, ann, true);
    long afterGrant = listener.corps.stream().filter(corp::equals).count();
    assertThat(afterGrant).isPositive();
    store().setPermission(corp, ann, false);
    assertThat(listener.corps.stream().filter(corp::equals).count()).isGreaterThan(afterGrant);
  }

  @Test
  void setPermission_concurrentGrants_exactlyOneSawItUnheld() {
    List<Boolean> before =
        ContractSupport.concurrently(
            200, concurrency(), concurrencyTimeout(), i -> store().setPermission(corp, ann, true));
    assertThat(before.stream().filter(b -> !b).count()).isEqualTo(1);
    assertThat(store().permittedUsers(corp)).containsExactly(ann);
  }

  // ---- grants with an end --------------------------------------------------------------------

  @Test
  void grantPermission_returnsThePreviousGrant_andReplacesItsEnd() {
    Instant until = t0.plus(Duration.ofDays(30));
    assertThat(store().grantPermission(corp, ann, until)).as("first grant").isEmpty();
    assertThat(store().permissionGrants(corp)).containsExactly(new PermissionGrant(ann, until));
    assertThat(store().grantPermission(corp, ann, null))
        .as("replaced by a grant without an end")
        .contains(new PermissionGrant(ann, until));
    assertThat(store().permissionGrants(corp)).containsExactly(PermissionGrant.unending(ann));
    assertThat(store().grantPermission(corp, ann.toUpperCase(java.util.Locale.ROOT), until))
        .as("the same user, ignoring case")
        .contains(PermissionGrant.unending(ann));
    assertThat(store().setPermission(corp, ann, true)).as("setPermission clears the end").isTrue();
    assertThat(store().permissionGrants(corp)).containsExactly(PermissionGrant.unending(ann));
    store().grantPermission(corp, ann, until);
    assertThat(store().setPermission(corp, ann, false)).as("revoked with its end").isTrue();
    assertThat(store().permissionGrants(corp)).isEmpty();
    assertThat(store().grantPermission(corp, ann, until)).as("granted again").isEmpty();
  }

  @Test
  void permissionGrants_orderedByKey_perCorp_endsKeptExactly() {
    Instant precise = Instant.parse("2026-03-01T09:00:00.123456789Z");
    store().grantPermission(corp, bob, precise);
    store().grantPermission(corp, ann, null);
    store().grantPermission(otherCorp, ann, t0);
    List<PermissionGrant> expected =
        new ArrayList<>(List.of(PermissionGrant.unending(ann), new PermissionGrant(bob, precise)));
    expected.sort(Comparator.comparing(PermissionGrant::email));
    assertThat(store().permissionGrants(corp)).isEqualTo(expected);
    // the store has no clock: an end in the past is still a stored grant
    assertThat(store().permittedUsers(corp)).containsExactlyInAnyOrder(ann, bob);
    assertThat(store().permissionGrants(otherCorp)).containsExactly(new PermissionGrant(ann, t0));
    assertThat(store().permissionGrants(ContractSupport.uniqueCorp())).isEmpty();
  }

  @Test
  void grantPermission_tellsListenersBeforeReturning() {
    Recorder listener = new Recorder();
    store().addListener(listener);
    store().grantPermission(corp, ann, t0);
    long afterGrant = listener.corps.stream().filter(corp::equals).count();
    assertThat(afterGrant).isPositive();
    store().grantPermission(corp, ann, t0.plusSeconds(1));
    assertThat(listener.corps.stream().filter(corp::equals).count()).isGreaterThan(afterGrant);
  }

  /** Every ended grant of {@code corp} this call and its follow-ups claim, until none is left. */
  private List<EndedGrant> claimAll(Instant now, int limit, String ofCorp) {
    List<EndedGrant> mine = new ArrayList<>();
    while (true) {
      List<EndedGrant> page = store().claimEndedGrants(now, limit);
      assertThat(page.size()).isLessThanOrEqualTo(limit);
      for (EndedGrant grant : page) {
        if (grant.corp().equals(ofCorp)) {
          mine.add(grant);
        }
      }
      if (page.size() < limit) {
        return mine;
      }
    }
  }

  @Test
  void claimEndedGrants_claimsEachEndOnce_atOrAfterIt() {
    Instant later = t0.plus(Duration.ofHours(1));
    store().grantPermission(corp, ann, t0);
    store().grantPermission(corp, bob, later);
    store().setPermission(otherCorp, ann, true);
    assertThat(claimAll(t0.minusNanos(1), 10, corp)).as("before the end").isEmpty();
    assertThat(claimAll(t0, 10, corp))
        .as("at the end")
        .containsExactly(new EndedGrant(corp, ann, t0));
    assertThat(claimAll(t0, 10, corp)).as("claimed already").isEmpty();
    assertThat(claimAll(later.plusSeconds(5), 1, corp))
        .containsExactly(new EndedGrant(corp, bob, later));
    // The claim does not change the grant, and a new grant with the same end ends again.
    assertThat(store().permissionGrants(corp)).contains(new PermissionGrant(ann, t0));
    assertThat(store().grantPermission(corp, ann, t0)).contains(new PermissionGrant(ann, t0));
    assertThat(claimAll(later, 10, corp)).containsExactly(new EndedGrant(corp, ann, t0));
    // A revoked grant is never claimed.
    store().grantPermission(corp, bob, later.plusSeconds(1));
    store().setPermission(corp, bob, false);
    assertThat(claimAll(later.plusSeconds(60), 10, corp)).isEmpty();
    assertThat(claimAll(later.plusSeconds(60), 10, otherCorp)).as("no end").isEmpty();
  }

  @Test
  void claimEndedGrants_limitBelowOne_refused() {
    assertThatThrownBy(() -> store().claimEndedGrants(t0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void claimEndedGrants_concurrentClaims_eachEndExactlyOnce() {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String user = ContractSupport.uniqueEmail("g" + i);
      users.add(user);
      store().grantPermission(corp, user, t0.plusMillis(i));
    }
    List<List<EndedGrant>> claims =
        ContractSupport.concurrently(
            16, concurrency(), concurrencyTimeout(), i -> claimAll(t0.plusSeconds(1), 4, corp));
    List<String> claimed = new ArrayList<>();
    claims.forEach(list -> list.forEach(g -> claimed.add(g.email())));
    assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(users);
  }

  // ---- corps holding tokens ------------------------------------------------------------------

  @Test
  void corpsWithTokens_pagesVisitEveryCorpOnceInAFixedOrder() {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String c = ContractSupport.uniqueCorp();
      mine.add(c);
      for (int t = 0; t <= i % 3; t++) {
        store().insert(ContractSupport.record(c, ann, "t" + t, t0.plusSeconds(t)), 5);
      }
    }
    List<String> whole = allCorps(1000);
    assertThat(whole).doesNotHaveDuplicates().containsAll(mine);
    for (int pageSize : new int[] {1, 2, 3, 5}) {
      assertThat(allCorps(pageSize)).as("pages of %s", pageSize).isEqualTo(whole);
    }
  }

  @Test
  void corpsWithTokens_corpWithoutTokensLeftOut() {
    TokenRecord only = token(ann, "ci", t0);
    store().insert(only, 5);
    assertThat(allCorps(100)).contains(corp).doesNotContain(otherCorp);
    store().delete(only.id());
    assertThat(allCorps(100)).doesNotContain(corp);
    store().setPermission(otherCorp, ann, true);
    store()
        .replaceSettings(
            otherCorp, TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true));
    assertThat(allCorps(100)).as("settings and permissions alone").doesNotContain(otherCorp);
  }

  @Test
  void corpsWithTokens_afterACorpWithoutTokens_resumesAfterIt() {
    List<String> whole = allCorps(1000);
    String gone = ContractSupport.uniqueCorp();
    List<String> rest = store().corpsWithTokens(gone, 1000);
    assertThat(whole).containsAll(rest);
    assertThat(rest).doesNotContain(gone);
  }

  @Test
  void corpsWithTokens_limitBelowOne_throwsIllegalArgument() {
    assertThatThrownBy(() -> store().corpsWithTokens(null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- expiry notices ------------------------------------------------------------------------

  @Test
  void recordNotice_oncePerNotice() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    for (ExpiryNotice notice : ExpiryNotice.values()) {
      assertThat(store().recordNotice(token.id(), notice)).as("first %s", notice).isTrue();
      assertThat(store().recordNotice(token.id(), notice)).as("again %s", notice).isFalse();
    }
  }

  @Test
  void recordNotice_afterALaterNotice_refused() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    assertThat(store().recordNotice(token.id(), ExpiryNotice.ONE_DAY)).isTrue();
    assertThat(store().recordNotice(token.id(), ExpiryNotice.SEVEN_DAYS)).isFalse();
    assertThat(store().recordNotice(token.id(), ExpiryNotice.EXPIRED)).isTrue();
    assertThat(store().recordNotice(token.id(), ExpiryNotice.ONE_DAY)).isFalse();
    assertThat(store().recordNotice(token.id(), ExpiryNotice.SEVEN_DAYS)).isFalse();
  }

  @Test
  void recordNotice_perToken() {
    TokenRecord first = token(ann, "a", t0);
    TokenRecord second = token(ann, "b", t0);
    store().insert(first, 5);
    store().insert(second, 5);
    assertThat(store().recordNotice(first.id(), ExpiryNotice.EXPIRED)).isTrue();
    assertThat(store().recordNotice(second.id(), ExpiryNotice.SEVEN_DAYS)).isTrue();
  }

  @Test
  void recordNotice_unknownToken_refused() {
    assertThat(
            store().recordNotice(TokenId.random(ThreadLocalRandom.current()), ExpiryNotice.EXPIRED))
        .isFalse();
  }

  @Test
  void recordNotice_deletedToken_refused_andItsRecordsGoWithIt() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    assertThat(store().recordNotice(token.id(), ExpiryNotice.EXPIRED)).isTrue();
    store().delete(token.id());
    assertThat(store().recordNotice(token.id(), ExpiryNotice.EXPIRED)).isFalse();
    // The same id stored again (ids are random; a collision is possible) starts afresh.
    TokenRecord again = ContractSupport.record(token.id(), corp, bob, "other", t0, null);
    assertThat(store().insert(again, 5)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store().recordNotice(again.id(), ExpiryNotice.SEVEN_DAYS)).isTrue();
  }

  @Test
  void recordNotice_leavesTheTokenAsItWas() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    store().recordNotice(token.id(), ExpiryNotice.ONE_DAY);
    assertThat(store().find(token.id())).contains(token);
    assertThat(store().delete(token.id())).contains(token);
  }

  @Test
  void recordNotice_concurrentForOneNotice_exactlyOneRecords() {
    TokenRecord token = token(ann, "ci", t0);
    store().insert(token, 5);
    List<Boolean> recorded =
        ContractSupport.concurrently(
            200,
            concurrency(),
            concurrencyTimeout(),
            i -> store().recordNotice(token.id(), ExpiryNotice.SEVEN_DAYS));
    assertThat(recorded.stream().filter(r -> r).count()).isEqualTo(1);
  }

  @Test
  void recordNotice_concurrentMixedNotices_neverAnEarlierAfterALater() {
    // Calls for one token take effect one after another. So no notice is recorded twice, and a
    // notice recorded by a call that began after a later notice's call had returned true is a
    // stale one: the store must have refused it.
    for (int round = 0; round < 5; round++) {
      TokenRecord token = token(ann, "ci" + round, t0);
      store().insert(token, 5);
      List<Recorded> recorded = new CopyOnWriteArrayList<>();
      ExpiryNotice[] notices = ExpiryNotice.values();
      ContractSupport.concurrently(
          90,
          concurrency(),
          concurrencyTimeout(),
          i -> {
            ExpiryNotice notice = notices[i % notices.length];
            long began = System.nanoTime();
            if (store().recordNotice(token.id(), notice)) {
              recorded.add(new Recorded(notice, began, System.nanoTime()));
            }
            return i;
          });
      assertThat(recorded).isNotEmpty();
      assertThat(recorded.stream().map(Recorded::notice).toList()).doesNotHaveDuplicates();
      for (Recorded earlier : recorded) {
        for (Recorded later : recorded) {
          if (earlier.notice().compareTo(later.notice()) < 0) {
            assertThat(later.returned() < earlier.began())
                .as("%s recorded after %s had been", earlier.notice(), later.notice())
                .isFalse();
          }
        }
      }
      boolean expired = recorded.stream().anyMatch(r -> r.notice() == ExpiryNotice.EXPIRED);
      assertThat(store().recordNotice(token.id(), ExpiryNotice.EXPIRED)).isEqualTo(!expired);
    }
  }

  /** A notice a call recorded, and when the call began and returned. */
  private record Recorded(ExpiryNotice notice, long began, long returned) {}

  // ---- helpers -------------------------------------------------------------------------------

  /** A fresh token of {@code owner} in this test's corp. */
  private TokenRecord token(String owner, String name, Instant created) {
    return ContractSupport.record(corp, owner, name, created);
  }

  /**
   * Inserts {@code count} tokens spread over {@code owners} owners, with creation instants drawn
   * from a few values so that ties (broken by id) are common, in shuffled order.
   */
  private List<TokenRecord> manyTokens(int count, int owners) {
    List<String> emails = new ArrayList<>();
    for (int o = 0; o < owners; o++) {
      emails.add(ContractSupport.uniqueEmail("owner" + o));
    }
    List<TokenRecord> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tokens.add(token(emails.get(i % owners), "t" + i, t0.plusSeconds(i % 4)));
    }
    Collections.shuffle(tokens);
    for (TokenRecord t : tokens) {
      assertThat(store().insert(t, 100)).isEqualTo(InsertOutcome.INSERTED);
    }
    return tokens;
  }

  /** Every corp holding tokens, read in pages of {@code pageSize}. */
  private List<String> allCorps(int pageSize) {
    List<String> out = new ArrayList<>();
    @Nullable String after = null;
    while (true) {
      List<String> page = store().corpsWithTokens(after, pageSize);
      assertThat(page.size()).isLessThanOrEqualTo(pageSize);
      out.addAll(page);
      if (page.size() < pageSize) {
        return out;
      }
      after = page.get(page.size() - 1);
    }
  }

  private static List<TokenRecord> sortedForListing(List<TokenRecord> tokens) {
    List<TokenRecord> sorted = new ArrayList<>(tokens);
    sorted.sort(
        Comparator.comparing(TokenRecord::created).thenComparing(TokenRecord::id).reversed());
    return sorted;
  }

  private static Map<InsertOutcome, Integer> count(List<InsertOutcome> outcomes) {
    Map<InsertOutcome, Integer> counts = new EnumMap<>(InsertOutcome.class);
    for (InsertOutcome o : outcomes) {
      counts.merge(o, 1, Integer::sum);
    }
    return counts;
  }

  /** Records what listeners are told. */
  private static final class Recorder implements StoreListener {
    final List<TokenId> deleted = new CopyOnWriteArrayList<>();
    final List<String> corps = new CopyOnWriteArrayList<>();
    final List<TokenId> changed = new CopyOnWriteArrayList<>();

    @Override
    public void tokenDeleted(TokenId id) {
      deleted.add(id);
    }

    @Override
    public void tokenChanged(TokenId id) {
      changed.add(id);
    }

    @Override
    public void corpChanged(String corp) {
      corps.add(corp);
    }
  }
}
