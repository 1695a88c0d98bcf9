package dev.authcore.store;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.internal.Emails;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.BlockedTally;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UsageUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} in memory: the embedded default. Nothing survives a restart, and nothing is
 * shared between processes; use a database store for that.
 *
 * <p>Thread-safe. Reads ({@link #find}) are lock-free. Changes to one owner's tokens are serialised
 * per owner, which makes the per-user limit atomic; changes to settings and permissions are atomic
 * per corp. Listeners are told of every change before the changing method returns.
 */
public final class InMemoryTokenStore implements TokenStore {
  /** Newest first, then by id descending: the order of {@link ListPosition}. */
  private static final Comparator<ListPosition> LISTING_ORDER =
      Comparator.comparing(ListPosition::created).thenComparing(ListPosition::id).reversed();

  private final ConcurrentHashMap<TokenId, TokenRecord> byId = new ConcurrentHashMap<>();

  /** Owner key ("corp/email key") to the ids of their tokens; its lock serialises their changes. */
  private final ConcurrentHashMap<String, List<TokenId>> byOwner = new ConcurrentHashMap<>();

  /**
   * Corp to its tokens' listing positions, sorted in listing order, so a page after a cursor is
   * found by a seek, not by walking the corp from its newest token. Corps sorted by name, so {@link
   * #corpsWithTokens} pages by a seek too.
   */
  private final ConcurrentSkipListMap<String, ConcurrentNavigableMap<ListPosition, TokenId>>
      byCorp = new ConcurrentSkipListMap<>();

  /**
   * Token to the expiry notices recorded for it. Written only under its owner's lock in {@link
   * #byOwner}, like the token itself, so recording and deleting never interleave.
   */
  private final ConcurrentHashMap<TokenId, Set<ExpiryNotice>> notices = new ConcurrentHashMap<>();

  /** Tallies of requests a staged allow list would have refused, of stored tokens only. */
  private final ConcurrentHashMap<TokenId, BlockedTally> blocked = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, TokenSettings> settings = new ConcurrentHashMap<>();

  /**
   * Corp to its permission grants by user key. Each corp's map is changed only inside {@code
   * compute} on this map, so changes to one corp's grants are serialised; reads see a sorted,
   * concurrently readable map.
   */
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, StoredGrant>> permitted =
      new ConcurrentHashMap<>();

  private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();

  /** An empty store. */
  public InMemoryTokenStore() {}

  private static String ownerKey(String corp, String email) {
    return corp + "/" + Emails.key(email);
  }

  private ConcurrentNavigableMap<ListPosition, TokenId> corpIndex(String corp) {
    return byCorp.computeIfAbsent(corp, c -> new ConcurrentSkipListMap<>(LISTING_ORDER));
  }

  @Override
  public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
    checkArgument(maxPerOwner >= 1, "maxPerOwner must be at least 1, got %s", maxPerOwner);
    InsertOutcome[] outcome = new InsertOutcome[1];
    String nameKey = token.name().toLowerCase(Locale.ROOT);
    byOwner.compute(
        ownerKey(token.corp(), token.ownerEmail()),
        (key, ids) -> {
          List<TokenId> current = ids == null ? new ArrayList<>() : ids;
          if (current.size() >= maxPerOwner) {
            outcome[0] = InsertOutcome.LIMIT_REACHED;
            return ids;
          }
          for (TokenId id : current) {
            TokenRecord other = byId.get(id);
            if (other != null && other.name().toLowerCase(Locale.ROOT).equals(nameKey)) {
              outcome[0] = InsertOutcome.NAME_TAKEN;
              return ids;
            }
          }
          if (byId.putIfAbsent(token.id(), token) != null) {
            outcome[0] = InsertOutcome.ID_TAKEN;
            return ids;
          }
          corpIndex(token.corp()).put(ListPosition.of(token), token.id());
          List<TokenId> updated = new ArrayList<>(current);
          updated.add(token.id());
          outcome[0] = InsertOutcome.INSERTED;
          return updated;
        });
    InsertOutcome result = outcome[0];
    if (result == null) {
      throw new IllegalStateException("insert decided nothing");
    }
    return result;
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public Optional<TokenRecord> delete(TokenId id) {
    TokenRecord existing = byId.get(id);
    if (existing == null) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    @Nullable TokenRecord[] removed = new TokenRecord[1];
    byOwner.computeIfPresent(
        ownerKey(existing.corp(), existing.ownerEmail()),
        (key, ids) -> {
          if (!ids.contains(id)) {
            return ids;
          }
          TokenRecord gone = byId.remove(id);
          if (gone != null) {
            corpIndex(gone.corp()).remove(ListPosition.of(gone));
            notices.remove(id);
            blocked.remove(id);
            removed[0] = gone;
          }
          List<TokenId> updated = new ArrayList<>(ids);
          updated.remove(id);
          return updated.isEmpty() ? null : updated;
        });
    TokenRecord gone = removed[0];
    if (gone == null) {
      return Optional.empty();
    }
    for (StoreListener listener : listeners) {
      listener.tokenDeleted(id);
    }
    return Optional.of(gone);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A compare and set on the record itself, so it is atomic with concurrent rotations, usage
   * merges and deletions of the same token.
   */
  @Override
  public Optional<TokenRecord> rotateSecret(
      TokenId id,
      SecretHash expected,
      SecretHash replacement,
      Instant rotated,
      @Nullable Instant previousValidUntil) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(replacement, "replacement");
    Objects.requireNonNull(rotated, "rotated");
    @SuppressWarnings("unchecked")
    @Nullable TokenRecord[] updated = new TokenRecord[1];
    byId.computeIfPresent(
        id,
        (key, stored) -> {
          if (!stored.hash().equals(expected)) {
            return stored;
          }
          TokenRecord next = stored.withRotation(replacement, rotated, previousValidUntil);
          updated[0] = next;
          return next;
        });
    TokenRecord result = updated[0];
    if (result == null) {
      return Optional.empty();
    }
    for (StoreListener listener : listeners) {
      listener.tokenChanged(id);
    }
    return Optional.of(result);
  }

  @Override
  public Optional<TokenRecord> setAllowedIps(TokenId id, @Nullable String allowedIps) {
    Objects.requireNonNull(id, "id");
    // computeIfPresent: atomic with concurrent rotations, usage merges and deletions of the token
    @Nullable TokenRecord updated =
        byId.computeIfPresent(id, (key, stored) -> stored.withAllowedIps(allowedIps));
    if (updated == null) {
      return Optional.empty();
    }
    for (StoreListener listener : listeners) {
      listener.tokenChanged(id);
    }
    return Optional.of(updated);
  }

  @Override
  public List<TokenRecord> listByOwner(String corp, String ownerEmail) {
    List<TokenId> ids = byOwner.get(ownerKey(corp, ownerEmail));
    if (ids == null) {
      return List.of();
    }
    List<TokenRecord> out = new ArrayList<>(ids.size());
    for (TokenId id : ids) {
      TokenRecord record = byId.get(id);
      if (record != null) {
        out.add(record);
      }
    }
    out.sort(Comparator.comparing(TokenRecord::created).thenComparing(TokenRecord::id));
    return List.copyOf(out);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Costs O(log n + limit) for a corp of n tokens: the page after a cursor is found by a seek in
   * the corp's sorted index, and one owner's page is built from that owner's own tokens (at most
   * the per-user limit), not by filtering the corp.
   */
  @Override
  public List<TokenRecord> listCorp(
      String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    if (ownerEmail != null) {
      return listOwnerPage(corp, ownerEmail, after, limit);
    }
    ConcurrentNavigableMap<ListPosition, TokenId> index = byCorp.get(corp);
    if (index == null) {
      return List.of();
    }
    Collection<TokenId> ids = (after == null ? index : index.tailMap(after, false)).values();
    List<TokenRecord> out = new ArrayList<>(Math.min(limit, 1024));
    for (TokenId id : ids) {
      TokenRecord current = byId.get(id);
      if (current != null) {
        out.add(current);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return List.copyOf(out);
  }

  private List<TokenRecord> listOwnerPage(
      String corp, String ownerEmail, @Nullable ListPosition after, int limit) {
    List<TokenRecord> out = new ArrayList<>();
    for (TokenRecord token : listByOwner(corp, ownerEmail)) {
      if (after == null || after.precedes(token)) {
        out.add(token);
      }
    }
    out.sort(Comparator.comparing(ListPosition::of, LISTING_ORDER));
    return List.copyOf(out.size() > limit ? out.subList(0, limit) : out);
  }

  @Override
  public TokenSettings settings(String corp) {
    return settings.getOrDefault(corp, TokenSettings.defaults());
  }

  @Override
  public boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated) {
    boolean replaced =
        expected.equals(TokenSettings.defaults())
            ? settings.putIfAbsent(corp, updated) == null
                || settings.replace(corp, expected, updated)
            : settings.replace(corp, expected, updated);
    if (replaced) {
      for (StoreListener listener : listeners) {
        listener.corpChanged(corp);
      }
    }
    return replaced;
  }

  /** A grant as stored, with whether its end was claimed ({@link #claimEndedGrants}). */
  private record StoredGrant(PermissionGrant grant, boolean claimed) {}

  @Override
  public Set<String> permittedUsers(String corp) {
    Map<String, StoredGrant> grants = permitted.get(corp);
    return grants == null ? Set.of() : Set.copyOf(grants.keySet());
  }

  @Override
  public List<PermissionGrant> permissionGrants(String corp) {
    Map<String, StoredGrant> grants = permitted.get(corp);
    if (grants == null) {
      return List.of();
    }
    List<PermissionGrant> list = new ArrayList<>(grants.size());
    for (StoredGrant stored : grants.values()) {
      list.add(stored.grant());
    }
    return List.copyOf(list);
  }

  @Override
  public boolean setPermission(String corp, String email, boolean allow) {
    if (allow) {
      return grantPermission(corp, email, null).isPresent();
    }
    String key = Emails.key(email);
    boolean[] before = new boolean[1];
    permitted.computeIfPresent(
        corp,
        (c, grants) -> {
          before[0] = grants.remove(key) != null;
          return grants;
        });
    if (before[0]) {
      tellCorpChanged(corp);
    }
    return before[0];
  }

  @Override
  public Optional<PermissionGrant> grantPermission(
      String corp, String email, @Nullable Instant until) {
    PermissionGrant grant = new PermissionGrant(Emails.key(email), until);
    @SuppressWarnings("unchecked")
    @Nullable StoredGrant[] before = new StoredGrant[1];
    permitted.compute(
        corp,
        (c, grants) -> {
          ConcurrentSkipListMap<String, StoredGrant> current =
              grants == null ? new ConcurrentSkipListMap<>() : grants;
          before[0] = current.put(grant.email(), new StoredGrant(grant, false));
          return current;
        });
    @Nullable StoredGrant previous = before[0];
    if (previous == null || previous.claimed() || !previous.grant().equals(grant)) {
      tellCorpChanged(corp);
    }
    return previous == null ? Optional.empty() : Optional.of(previous.grant());
  }

  @Override
  public List<EndedGrant> claimEndedGrants(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    List<EndedGrant> claimed = new ArrayList<>();
    for (String corp : List.copyOf(permitted.keySet())) {
      if (claimed.size() >= limit) {
        break;
      }
      permitted.computeIfPresent(
          corp,
          (c, grants) -> {
            for (StoredGrant stored : grants.values()) {
              @Nullable Instant until = stored.grant().until();
              // ended once now >= until, as PermissionGrant.heldAt decides
              if (claimed.size() < limit
                  && !stored.claimed()
                  && until != null
                  && !now.isBefore(until)) {
                grants.put(stored.grant().email(), new StoredGrant(stored.grant(), true));
                claimed.add(new EndedGrant(c, stored.grant().email(), until));
              }
            }
            return grants;
          });
    }
    return List.copyOf(claimed);
  }

  private void tellCorpChanged(String corp) {
    for (StoreListener listener : listeners) {
      listener.corpChanged(corp);
    }
  }

  @Override
  public void recordUsage(List<UsageUpdate> batch) {
    for (UsageUpdate update : batch) {
      byId.computeIfPresent(update.id(), (id, stored) -> update.merge(stored));
    }
  }

  @Override
  public void recordBlocked(List<BlockedTally> batch) {
    for (BlockedTally tally : batch) {
      // Under the token's entry, so a concurrent delete either sees the tally and removes it, or
      // has removed the token and the tally is dropped.
      byId.computeIfPresent(
          tally.id(),
          (id, stored) -> {
            blocked.compute(id, (k, kept) -> tally.merge(kept));
            return stored;
          });
    }
  }

  @Override
  public Map<TokenId, BlockedTally> blocked(String corp, Instant since) {
    Map<TokenId, BlockedTally> out = new HashMap<>();
    ConcurrentNavigableMap<ListPosition, TokenId> index = byCorp.get(corp);
    if (index != null) {
      for (TokenId id : index.values()) {
        @Nullable BlockedTally tally = blocked.get(id);
        if (tally != null && tally.since().equals(since)) {
          out.put(id, tally);
        }
      }
    }
    return Map.copyOf(out);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Corps in {@link String#compareTo} order, found by a seek: a page costs O(log c + limit) for
   * c corps, plus the corps skipped because their tokens were all deleted.
   */
  @Override
  public List<String> corpsWithTokens(@Nullable String after, int limit) {
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    List<String> out = new ArrayList<>(Math.min(limit, 1024));
    var corps = after == null ? byCorp : byCorp.tailMap(after, false);
    for (var corp : corps.entrySet()) {
      if (!corp.getValue().isEmpty()) {
        out.add(corp.getKey());
        if (out.size() == limit) {
          break;
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Decided under the lock of the token's owner, which {@link #delete} takes too.
   */
  @Override
  public boolean recordNotice(TokenId id, ExpiryNotice notice) {
    Objects.requireNonNull(notice, "notice");
    TokenRecord token = byId.get(id);
    if (token == null) {
      return false;
    }
    boolean[] recorded = new boolean[1];
    byOwner.computeIfPresent(
        ownerKey(token.corp(), token.ownerEmail()),
        (key, ids) -> {
          if (!ids.contains(id)) {
            return ids; // deleted meanwhile
          }
          Set<ExpiryNotice> sent =
              notices.computeIfAbsent(id, k -> EnumSet.noneOf(ExpiryNotice.class));
          for (ExpiryNotice earlier : sent) {
            if (earlier.compareTo(notice) >= 0) {
              return ids;
            }
          }
          sent.add(notice);
          recorded[0] = true;
          return ids;
        });
    return recorded[0];
  }

  /**
   * {@inheritDoc}
   *
   * <p>Listeners are told synchronously, on the thread that made the change, before the changing
   * method returns.
   */
  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.getAndSet(false)) {
        listeners.remove(listener);
      }
    };
  }

  /**
   * {@inheritDoc}
   *
   * <p>Always connected with no lag: every change is made here and told to the listeners before the
   * changing method returns, and no other node shares this store.
   */
  @Override
  public FeedStatus feedStatus() {
    return FeedStatus.connected(0, Duration.ZERO);
  }

  /** Token, corp and owner counts; never token contents. */
  @Override
  public String toString() {
    return "InMemoryTokenStore[" + byId.size() + " tokens, " + byCorp.size() + " corps]";
  }
}
