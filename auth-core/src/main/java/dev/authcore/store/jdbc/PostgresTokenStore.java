package dev.authcore.store.jdbc;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.internal.Emails;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.StagedAllowList;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} on PostgreSQL 14 or later, shared by any number of gateway nodes: tokens,
 * corp settings, permissions and usage survive restarts, and a deletion, rotation, settings change
 * or permission change made on one node reaches the others' {@linkplain #addListener listeners}.
 *
 * <pre>{@code
 * PostgresSchema.migrate(pool);                       // once per deployment, or use Flyway
 * PostgresTokenStore store = PostgresTokenStore.builder(pool)   // e.g. a HikariCP pool
 *     .notifications(pgjdbcWaiter, listenDataSource)   // optional: LISTEN/NOTIFY, see below
 *     .build();
 * AuthCore core = AuthCore.builder().store(store).users(directory).build();
 * ...
 * core.close();
 * store.close();                                     // stops the change feed; not the DataSource
 * }</pre>
 *
 * <p><b>What is stored.</b> The {@linkplain SecretHash#encoded() hash} of each secret, never the
 * secret. Instants exactly, to the nanosecond ({@code numeric(30,9)} epoch seconds), so every
 * expiry decision is the same before and after a round trip. Emails are matched by their ASCII
 * lower-cased key ({@link TokenRecord#ownerKey()}) and names by {@code toLowerCase(Locale.ROOT)},
 * both computed here, never by a database collation. See {@link PostgresSchema} for the tables.
 *
 * <p><b>Atomicity.</b> Every method is one transaction (read committed), so no write is ever half
 * applied. {@link #rotateSecret} locks the token's row and compares its hash before replacing it,
 * so concurrent rotations from any node are serialised. The per-user limit is enforced in the
 * database: {@link #insert} locks the owner's row in {@code authcore_owners} ({@code SELECT ... FOR
 * UPDATE}), then counts the owner's tokens and inserts in the same transaction, so concurrent
 * inserts from any number of nodes are serialised per owner and never exceed the limit. {@link
 * #replaceSettings} is a compare-and-set on the stored representation (one conditional {@code
 * UPDATE}). {@link #recordUsage} locks the batch's rows in id order and merges with {@link
 * UsageUpdate}'s rules (latest last-used, newest distinct addresses, at most {@value
 * TokenRecord#MAX_RECENT_IPS}), so concurrent batches from several nodes lose nothing.
 *
 * <p><b>Changes across nodes.</b> Each deletion, rotation, settings change and permission change
 * appends a row to the change table {@code authcore_changes} in the same transaction, numbered in
 * commit order, and sends {@code pg_notify} on the {@linkplain Builder#channel channel}. Listeners
 * of this store instance are told synchronously, before the changing method returns. Once a
 * listener is added, a daemon thread reads the changes made by other store instances every
 * {@linkplain Builder#pollInterval poll interval} (default 1 s) and tells the listeners. With a
 * {@link NotificationWaiter} it holds one connection (see {@link
 * Builder#notifications(NotificationWaiter, DataSource)} for where it comes from), {@code LISTEN}s
 * on it and reads the change table as soon as a notification arrives (typically within
 * milliseconds); the poll interval then only bounds how late a lost notification can make a change.
 * The change table is the source of truth either way: missed notifications and connection failures
 * delay changes but never lose them (the feed resumes from the last change it read). Changes are
 * kept for {@link #CHANGE_RETENTION}, longer than any auth-core cache bound, and pruned by the
 * feed.
 *
 * <p><b>Failures.</b> When the database cannot be reached or a statement fails, every method throws
 * {@link StoreUnavailableException} naming the operation and what it was applied to (ids, corps;
 * never a secret, which is never stored). A failed write is rolled back whole. If a connection
 * breaks while committing, the write is either whole or absent, and the exception says it failed.
 * Meanwhile auth-core keeps verifying tokens whose records are in its cache, until its cache bound,
 * and fails closed ({@link StoreUnavailableException}) on a cache miss. Nothing needs restarting
 * when the database answers again: each call takes a fresh connection from the {@code DataSource}
 * (a pool replaces the connections that broke), and the change feed reconnects by itself.
 *
 * <p><b>Time bounds.</b> A database that accepts connections and never answers (a stuck primary, a
 * network partition) must not hold callers for minutes, so every call is bounded by the {@linkplain
 * Builder#timeout timeout} (default {@value #DEFAULT_TIMEOUT_SECONDS} s) and then fails with {@link
 * StoreUnavailableException}. The store enforces the part it can, with plain JDBC: each statement
 * and commit gets what is left of the call's deadline as the connection's {@linkplain
 * java.sql.Connection#setNetworkTimeout network timeout} (the longest any socket read may block:
 * the bound that holds against a silent database) and, in whole seconds below that, as its
 * {@linkplain java.sql.Statement#setQueryTimeout query timeout} (the database cancels a slow
 * statement and the connection stays usable). What the store cannot enforce is {@code
 * getConnection()}, which cannot be interrupted; <b>the {@code DataSource} must bound it</b>:
 *
 * <ul>
 *   <li>a pool: its acquisition timeout (HikariCP {@code connectionTimeout}, at most the store's
 *       timeout) and a validation timeout below that;
 *   <li>pgjdbc, underneath a pool or alone: {@code connectTimeout} (TCP connect) and {@code
 *       loginTimeout} (the whole connection handshake, which a silent database also stalls); a
 *       {@code socketTimeout} longer than the store's timeout is a useful backstop for other code
 *       sharing the connections, such as a migration (the store sets its own bound per statement
 *       and restores the previous one when it gives a connection back).
 * </ul>
 *
 * The deadline starts before {@code getConnection()}, so a call returns within the longer of the
 * store's timeout and the {@code DataSource}'s acquisition bound, plus the scheduling delays of a
 * loaded machine. The change feed bounds each of its statements the same way, checks a silent
 * listening connection every few seconds, and after a failure reconnects with a back-off of 250 ms
 * doubling up to 10 s; it logs failures to {@link System.Logger}.
 *
 * <p><b>Thread safety.</b> Thread-safe; share one instance per {@code DataSource} per process.
 */
public final class PostgresTokenStore implements TokenStore, AutoCloseable {
  /** The default notification channel. */
  public static final String DEFAULT_CHANNEL = "authcore_changes";

  /** How long changes stay in the change table; longer than the longest cache bound (1 hour). */
  public static final Duration CHANGE_RETENTION = Duration.ofHours(24);

  /** The default {@linkplain Builder#timeout timeout} in seconds. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 3;

  private final DataSource dataSource;
  private final Timeouts timeouts;
  private final @Nullable String schema;
  private final String channel;
  private final Sql sql;

  /** Tags this instance's rows in the change table so its feed skips them. */
  private final String origin = UUID.randomUUID().toString();

  private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
  private final ChangeFeed feed;

  private PostgresTokenStore(Builder b) {
    this.dataSource = b.dataSource;
    this.schema = b.schema;
    this.channel = b.channel;
    this.sql = new Sql(b.schema);
    this.timeouts = new Timeouts(b.timeout, toString());
    DataSource listenSource = b.listenSource;
    this.feed =
        new ChangeFeed(
            dataSource,
            listenSource != null ? listenSource : dataSource,
            timeouts,
            sql,
            origin,
            channel,
            b.pollInterval,
            b.waiter,
            listeners,
            toString());
  }

  /**
   * A store on {@code dataSource} with the defaults: tables found through the connections' {@code
   * search_path}, calls bounded by {@value #DEFAULT_TIMEOUT_SECONDS} s, changes from other nodes
   * polled every second, no {@code LISTEN}. Does not connect; apply the schema first ({@link
   * PostgresSchema#migrate(DataSource)}).
   */
  public static PostgresTokenStore create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** Starts configuring a store on {@code dataSource}, which the caller keeps and closes. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  // ---- tokens ---------------------------------------------------------------------------------

  @Override
  public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
    checkArgument(maxPerOwner >= 1, "maxPerOwner must be at least 1, got %s", maxPerOwner);
    String ownerKey = token.ownerKey();
    String nameKey = token.name().toLowerCase(Locale.ROOT);
    return transaction(
        "insert(token " + token.id() + " of corp " + token.corp() + ")",
        call -> {
          try (PreparedStatement owner = call.prepare(sql.insertOwner)) {
            owner.setString(1, token.corp());
            owner.setString(2, ownerKey);
            owner.executeUpdate();
          }
          // Held until commit: every insert for this owner, from any node, waits here.
          try (PreparedStatement lock = call.prepare(sql.lockOwner)) {
            lock.setString(1, token.corp());
            lock.setString(2, ownerKey);
            try (ResultSet rows = lock.executeQuery()) {
              if (!rows.next()) {
                throw new SQLException("owner row vanished while being locked");
              }
            }
          }
          try (PreparedStatement count = call.prepare(sql.countOwnerTokens)) {
            count.setString(1, nameKey);
            count.setString(2, token.corp());
            count.setString(3, ownerKey);
            try (ResultSet rows = count.executeQuery()) {
              rows.next();
              if (rows.getLong(1) >= maxPerOwner) {
                return InsertOutcome.LIMIT_REACHED;
              }
              if (rows.getLong(2) > 0) {
                return InsertOutcome.NAME_TAKEN;
              }
            }
          }
          try (PreparedStatement insert = call.prepare(sql.insertToken)) {
            insert.setLong(1, token.id().asLong());
            insert.setString(2, token.corp());
            insert.setString(3, ownerKey);
            insert.setString(4, token.ownerEmail());
            insert.setString(5, token.name());
            insert.setString(6, nameKey);
            insert.setBigDecimal(7, decimal(token.created()));
            setInstant(insert, 8, token.expiresAt());
            insert.setString(9, token.hash().encoded());
            setInstant(insert, 10, token.lastUsed());
            insert.setArray(11, textArray(call.connection(), token.recentIps()));
            setInstant(insert, 12, token.rotated());
            SecretHash previous = token.previousHash();
            insert.setString(13, previous == null ? null : previous.encoded());
            setInstant(insert, 14, token.previousValidUntil());
            insert.setString(15, token.allowedIps());
            return insert.executeUpdate() == 1 ? InsertOutcome.INSERTED : InsertOutcome.ID_TAKEN;
          }
        });
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    return read(
        "find(token " + id + ")",
        call -> {
          try (PreparedStatement find = call.prepare(sql.findToken)) {
            find.setLong(1, id.asLong());
            try (ResultSet rows = find.executeQuery()) {
              return rows.next() ? Optional.of(token(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<TokenRecord> delete(TokenId id) {
    Optional<TokenRecord> deleted =
        transaction(
            "delete(token " + id + ")",
            call -> {
              TokenRecord gone;
              try (PreparedStatement delete = call.prepare(sql.deleteToken)) {
                delete.setLong(1, id.asLong());
                try (ResultSet rows = delete.executeQuery()) {
                  if (!rows.next()) {
                    return Optional.<TokenRecord>empty();
                  }
                  gone = token(rows);
                }
              }
              recordChange(call, ChangeFeed.TOKEN_DELETED, id.asLong(), gone.corp());
              return Optional.of(gone);
            });
    if (deleted.isPresent()) {
      for (StoreListener listener : listeners) {
        ChangeFeed.tell(listener, id, null);
      }
    }
    return deleted;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Locks the token's row ({@code SELECT ... FOR UPDATE}), compares its stored hash with {@code
   * expected} as a {@link SecretHash} (not as text), then updates the row and appends a {@code
   * token_changed} row to the change table, all in one transaction: concurrent rotations from any
   * node are serialised on the row, and the one that comes second finds another hash.
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
    Optional<TokenRecord> updated =
        transaction(
            "rotateSecret(token " + id + ")",
            call -> {
              try (PreparedStatement lock = call.prepare(sql.lockSecret)) {
                lock.setLong(1, id.asLong());
                try (ResultSet rows = lock.executeQuery()) {
                  if (!rows.next() || !storedHash(id, text(rows, 1)).equals(expected)) {
                    return Optional.<TokenRecord>empty();
                  }
                }
              }
              TokenRecord stored;
              try (PreparedStatement update = call.prepare(sql.rotateSecret)) {
                update.setString(1, replacement.encoded());
                update.setBigDecimal(2, decimal(rotated));
                update.setString(3, previousValidUntil == null ? null : expected.encoded());
                setInstant(update, 4, previousValidUntil);
                update.setLong(5, id.asLong());
                try (ResultSet rows = update.executeQuery()) {
                  if (!rows.next()) {
                    throw new SQLException("locked token row vanished while being rotated");
                  }
                  stored = token(rows);
                }
              }
              recordChange(call, ChangeFeed.TOKEN_CHANGED, id.asLong(), stored.corp());
              return Optional.of(stored);
            });
    if (updated.isPresent()) {
      for (StoreListener listener : listeners) {
        ChangeFeed.tellChanged(listener, id);
      }
    }
    return updated;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code UPDATE} and a {@code token_changed} row in the change table, in one transaction.
   */
  @Override
  public Optional<TokenRecord> setAllowedIps(TokenId id, @Nullable String allowedIps) {
    Objects.requireNonNull(id, "id");
    @Nullable String text = allowedIps == null || allowedIps.isEmpty() ? null : allowedIps;
    Optional<TokenRecord> updated =
        transaction(
            "setAllowedIps(token " + id + ")",
            call -> {
              TokenRecord stored;
              try (PreparedStatement update = call.prepare(sql.setAllowedIps)) {
                update.setString(1, text);
                update.setLong(2, id.asLong());
                try (ResultSet rows = update.executeQuery()) {
                  if (!rows.next()) {
                    return Optional.<TokenRecord>empty();
                  }
                  stored = token(rows);
                }
              }
              recordChange(call, ChangeFeed.TOKEN_CHANGED, id.asLong(), stored.corp());
              return Optional.of(stored);
            });
    if (updated.isPresent()) {
      for (StoreListener listener : listeners) {
        ChangeFeed.tellChanged(listener, id);
      }
    }
    return updated;
  }

  /** A stored hash as a value, or {@link StoredDataException} naming the token. */
  private static SecretHash storedHash(TokenId id, String text) {
    try {
      return SecretHash.parse(text);
    } catch (IllegalArgumentException e) {
      throw new StoredDataException(
          "stored hash of token " + id + " is unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public List<TokenRecord> listByOwner(String corp, String ownerEmail) {
    return read(
        "listByOwner(corp " + corp + ")",
        call -> {
          try (PreparedStatement list = call.prepare(sql.listByOwner)) {
            list.setString(1, corp);
            list.setString(2, Emails.key(ownerEmail));
            return tokens(list);
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads one range of the index {@code (corp, created desc, id desc)}.
   */
  @Override
  public List<TokenRecord> listCorp(
      String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    return read(
        "listCorp(corp " + corp + ")",
        call -> {
          try (PreparedStatement list =
              call.prepare(sql.listCorp(ownerEmail != null, after != null))) {
            int i = 1;
            list.setString(i++, corp);
            if (ownerEmail != null) {
              list.setString(i++, Emails.key(ownerEmail));
            }
            if (after != null) {
              list.setBigDecimal(i++, decimal(after.created()));
              list.setLong(i++, sortKey(after.id()));
            }
            list.setInt(i, limit);
            return tokens(list);
          }
        });
  }

  // ---- settings and permissions ---------------------------------------------------------------

  @Override
  public TokenSettings settings(String corp) {
    return read(
        "settings(corp " + corp + ")",
        call -> {
          try (PreparedStatement select = call.prepare(sql.selectSettings)) {
            select.setString(1, corp);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return TokenSettings.defaults();
              }
              long millis = rows.getLong(1);
              @Nullable Long expiry = rows.wasNull() ? null : millis;
              int days = rows.getInt(4);
              @Nullable Integer inactiveDays = rows.wasNull() ? null : days;
              @Nullable String staged = rows.getString(5);
              long since = rows.getLong(6);
              @Nullable Long stagedSince = rows.wasNull() ? null : since;
              return StoredSettings.settings(
                  corp,
                  new StoredSettings(
                      expiry,
                      rows.getBoolean(2),
                      text(rows, 3),
                      inactiveDays,
                      staged,
                      stagedSince));
            }
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Compares the stored representation (expiry in milliseconds, restriction, the allow list's
   * {@link IpAllowList#toText()}, the days of inactivity) with {@code expected}'s, in one
   * conditional {@code UPDATE}: concurrent replacements from any node, starting from the same
   * {@code expected}, let exactly one win.
   */
  @Override
  public boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated) {
    StoredSettings was = StoredSettings.of(expected);
    StoredSettings now = StoredSettings.of(updated);
    boolean replaced =
        transaction(
            "replaceSettings(corp " + corp + ")",
            call -> {
              boolean done = false;
              if (was.equals(StoredSettings.DEFAULTS)) {
                // A corp without a row has the defaults: the first replacement creates it.
                try (PreparedStatement insert = call.prepare(sql.insertSettings)) {
                  insert.setString(1, corp);
                  now.bind(insert, 2);
                  done = insert.executeUpdate() == 1;
                }
              }
              if (!done) {
                try (PreparedStatement update = call.prepare(sql.replaceSettings)) {
                  now.bind(update, 1);
                  update.setString(StoredSettings.COLUMNS + 1, corp);
                  was.bind(update, StoredSettings.COLUMNS + 2);
                  done = update.executeUpdate() == 1;
                }
              }
              if (done) {
                recordChange(call, ChangeFeed.CORP_CHANGED, null, corp);
              }
              return done;
            });
    if (replaced) {
      for (StoreListener listener : listeners) {
        ChangeFeed.tell(listener, null, corp);
      }
    }
    return replaced;
  }

  @Override
  public Set<String> permittedUsers(String corp) {
    return read(
        "permittedUsers(corp " + corp + ")",
        call -> {
          try (PreparedStatement select = call.prepare(sql.selectPermitted)) {
            select.setString(1, corp);
            List<String> keys = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                keys.add(text(rows, 1));
              }
            }
            return Set.copyOf(keys);
          }
        });
  }

  @Override
  public List<PermissionGrant> permissionGrants(String corp) {
    return read(
        "permissionGrants(corp " + corp + ")",
        call -> {
          try (PreparedStatement select = call.prepare(sql.selectGrants)) {
            select.setString(1, corp);
            List<PermissionGrant> grants = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                grants.add(new PermissionGrant(text(rows, 1), instant(rows, 2)));
              }
            }
            return List.copyOf(grants);
          }
        });
  }

  @Override
  public boolean setPermission(String corp, String email, boolean permitted) {
    if (permitted) {
      return grant("setPermission(corp " + corp + ")", corp, email, null).isPresent();
    }
    String key = Emails.key(email);
    boolean before =
        transaction(
            "setPermission(corp " + corp + ")",
            call -> {
              boolean deleted;
              try (PreparedStatement write = call.prepare(sql.revoke)) {
                write.setString(1, corp);
                write.setString(2, key);
                deleted = write.executeUpdate() == 1;
              }
              if (deleted) {
                recordChange(call, ChangeFeed.CORP_CHANGED, null, corp);
              }
              return deleted;
            });
    if (before) {
      tellCorpChanged(corp);
    }
    return before;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An insert that does nothing on conflict decides between concurrent first grants (exactly one
   * inserts and sees no grant before); otherwise the row is locked and replaced in the same
   * transaction, so concurrent grants of one user take effect one after another.
   */
  @Override
  public Optional<PermissionGrant> grantPermission(
      String corp, String email, @Nullable Instant until) {
    return grant("grantPermission(corp " + corp + ")", corp, email, until);
  }

  private Optional<PermissionGrant> grant(
      String operation, String corp, String email, @Nullable Instant until) {
    String key = Emails.key(email);
    PermissionGrant grant = new PermissionGrant(key, until);
    GrantChange change =
        transaction(
            operation,
            call -> {
              while (true) {
                try (PreparedStatement insert = call.prepare(sql.insertGrant)) {
                  insert.setString(1, corp);
                  insert.setString(2, key);
                  setInstant(insert, 3, until);
                  if (insert.executeUpdate() == 1) {
                    recordChange(call, ChangeFeed.CORP_CHANGED, null, corp);
                    return new GrantChange(null, true);
                  }
                }
                // A new statement, so it sees the row a concurrent grant committed.
                @Nullable PermissionGrant previous = null;
                boolean claimed = false;
                try (PreparedStatement lock = call.prepare(sql.lockGrant)) {
                  lock.setString(1, corp);
                  lock.setString(2, key);
                  try (ResultSet rows = lock.executeQuery()) {
                    if (rows.next()) {
                      previous = new PermissionGrant(key, instant(rows, 1));
                      claimed = rows.getBoolean(2);
                    }
                  }
                }
                if (previous == null) {
                  continue; // revoked between the insert and the lock: insert again
                }
                boolean changed = claimed || !previous.equals(grant);
                if (changed) {
                  try (PreparedStatement update = call.prepare(sql.updateGrant)) {
                    setInstant(update, 1, until);
                    update.setString(2, corp);
                    update.setString(3, key);
                    update.executeUpdate();
                  }
                  recordChange(call, ChangeFeed.CORP_CHANGED, null, corp);
                }
                return new GrantChange(previous, changed);
              }
            });
    if (change.changed()) {
      tellCorpChanged(corp);
    }
    return Optional.ofNullable(change.previous());
  }

  /** What a grant replaced, and whether it changed the stored row. */
  private record GrantChange(@Nullable PermissionGrant previous, boolean changed) {}

  /**
   * {@inheritDoc}
   *
   * <p>One conditional {@code UPDATE}: a row another node claims at the same moment is checked
   * again once that node commits, found claimed and skipped, so each end is claimed by one call.
   * Claims are not a corp change: they are not put on the change feed.
   */
  @Override
  public List<EndedGrant> claimEndedGrants(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    return transaction(
        "claimEndedGrants(at " + now + ")",
        call -> {
          try (PreparedStatement update = call.prepare(sql.claimEndedGrants)) {
            setInstant(update, 1, now);
            update.setInt(2, limit);
            setInstant(update, 3, now);
            List<EndedGrant> claimed = new ArrayList<>();
            try (ResultSet rows = update.executeQuery()) {
              while (rows.next()) {
                claimed.add(new EndedGrant(text(rows, 1), text(rows, 2), requiredInstant(rows, 3)));
              }
            }
            return List.copyOf(claimed);
          }
        });
  }

  private void tellCorpChanged(String corp) {
    for (StoreListener listener : listeners) {
      ChangeFeed.tell(listener, null, corp);
    }
  }

  // ---- usage ----------------------------------------------------------------------------------

  @Override
  public void recordBlocked(List<BlockedTally> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Map<Long, BlockedTally> byId = new HashMap<>();
    for (BlockedTally tally : batch) {
      byId.merge(tally.id().asLong(), tally, (kept, more) -> more.merge(kept));
    }
    Long[] ids = byId.keySet().toArray(new Long[0]);
    int unused =
        transaction(
            "recordBlocked(" + byId.size() + " tokens)",
            call -> {
              List<BlockedRow> rowsToWrite = new ArrayList<>();
              try (PreparedStatement lock = call.prepare(sql.lockBlocked)) {
                lock.setArray(1, call.connection().createArrayOf("bigint", ids));
                try (ResultSet rows = lock.executeQuery()) {
                  while (rows.next()) {
                    long id = rows.getLong(1);
                    String corp = rows.getString(2);
                    long since = rows.getLong(3);
                    @Nullable BlockedTally kept =
                        rows.wasNull()
                            ? null
                            : new BlockedTally(
                                TokenId.fromLong(id),
                                Instant.ofEpochMilli(since),
                                rows.getLong(4),
                                textList(rows, 5));
                    BlockedTally merged = Objects.requireNonNull(byId.get(id)).merge(kept);
                    if (!merged.equals(kept)) {
                      rowsToWrite.add(new BlockedRow(corp, merged));
                    }
                  }
                }
              }
              try (PreparedStatement upsert = call.prepare(sql.upsertBlocked)) {
                for (BlockedRow row : rowsToWrite) {
                  BlockedTally merged = row.tally();
                  upsert.setLong(1, merged.id().asLong());
                  upsert.setString(2, row.corp());
                  upsert.setLong(3, merged.since().toEpochMilli());
                  upsert.setLong(4, merged.count());
                  upsert.setArray(
                      5, call.connection().createArrayOf("text", merged.ips().toArray()));
                  upsert.addBatch();
                }
                if (!rowsToWrite.isEmpty()) {
                  upsert.executeBatch();
                }
              }
              return rowsToWrite.size();
            });
  }

  /** A tally to write, with its token's corp (the owners' table reads tallies by corp). */
  private record BlockedRow(String corp, BlockedTally tally) {}

  @Override
  public Map<TokenId, BlockedTally> blocked(String corp, Instant since) {
    return read(
        "blocked(corp " + corp + ")",
        call -> {
          Map<TokenId, BlockedTally> out = new HashMap<>();
          try (PreparedStatement select = call.prepare(sql.selectBlocked)) {
            select.setString(1, corp);
            select.setLong(2, since.toEpochMilli());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                TokenId id = TokenId.fromLong(rows.getLong(1));
                out.put(id, new BlockedTally(id, since, rows.getLong(2), textList(rows, 3)));
              }
            }
          }
          return Map.copyOf(out);
        });
  }

  @Override
  public void recordUsage(List<UsageUpdate> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Map<Long, List<UsageUpdate>> byId = new LinkedHashMap<>();
    for (UsageUpdate update : batch) {
      byId.computeIfAbsent(update.id().asLong(), k -> new ArrayList<>(1)).add(update);
    }
    Long[] ids = byId.keySet().toArray(new Long[0]);
    int unused =
        transaction(
            "recordUsage(" + byId.size() + " tokens)",
            call -> {
              Map<Long, Usage> stored = new HashMap<>();
              try (PreparedStatement lock = call.prepare(sql.lockUsage)) {
                lock.setArray(1, call.connection().createArrayOf("bigint", ids));
                try (ResultSet rows = lock.executeQuery()) {
                  while (rows.next()) {
                    stored.put(rows.getLong(1), new Usage(instant(rows, 2), textList(rows, 3)));
                  }
                }
              }
              if (stored.isEmpty()) {
                return 0; // every token of the batch is gone: dropped
              }
              try (PreparedStatement update = call.prepare(sql.updateUsage)) {
                for (Map.Entry<Long, Usage> row : stored.entrySet()) {
                  @Nullable Instant lastUsed = row.getValue().lastUsed;
                  List<String> ips = row.getValue().ips;
                  for (UsageUpdate u : byId.getOrDefault(row.getKey(), List.of())) {
                    lastUsed = UsageUpdate.laterOf(lastUsed, u.lastUsed());
                    ips = UsageUpdate.mergeIps(u.ips(), ips);
                  }
                  setInstant(update, 1, lastUsed);
                  update.setArray(2, textArray(call.connection(), ips));
                  update.setLong(3, row.getKey());
                  update.addBatch();
                }
                update.executeBatch();
              }
              return stored.size();
            });
  }

  private record Usage(@Nullable Instant lastUsed, List<String> ips) {}

  // ---- expiry notices -------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>Corps in the order of the database's collation for the {@code corp} column, read from the
   * listing index.
   */
  @Override
  public List<String> corpsWithTokens(@Nullable String after, int limit) {
    checkArgument(limit >= 1, "limit must be at least 1, got %s", limit);
    return read(
        "corpsWithTokens(after " + (after == null ? "the start" : "corp " + after) + ")",
        call -> {
          try (PreparedStatement list =
              call.prepare(after == null ? sql.firstCorps : sql.corpsAfter)) {
            int i = 1;
            if (after != null) {
              list.setString(i++, after);
            }
            list.setInt(i, limit);
            List<String> corps = new ArrayList<>();
            try (ResultSet rows = list.executeQuery()) {
              while (rows.next()) {
                corps.add(text(rows, 1));
              }
            }
            return List.copyOf(corps);
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: it locks the token's row ({@code FOR NO KEY UPDATE}, so calls for one token
   * from any node run one after another and a delete waits for the commit), then inserts the notice
   * into {@code authcore_expiry_notices} unless it or a later one is there. The rows go with the
   * token ({@code ON DELETE CASCADE}).
   */
  @Override
  public boolean recordNotice(TokenId id, ExpiryNotice notice) {
    Objects.requireNonNull(notice, "notice");
    int daysBefore = (int) notice.before().toDays();
    return transaction(
        "recordNotice(token " + id + ", " + notice + ")",
        call -> {
          try (PreparedStatement lock = call.prepare(sql.lockTokenForNotice)) {
            lock.setLong(1, id.asLong());
            try (ResultSet rows = lock.executeQuery()) {
              if (!rows.next()) {
                return false; // no such token, or deleted meanwhile
              }
            }
          }
          // A new statement, so it sees a notice another node committed while this one waited.
          try (PreparedStatement insert = call.prepare(sql.recordNotice)) {
            insert.setLong(1, id.asLong());
            insert.setInt(2, daysBefore);
            insert.setLong(3, id.asLong());
            insert.setInt(4, daysBefore);
            return insert.executeUpdate() == 1;
          }
        });
  }

  // ---- listeners ------------------------------------------------------------------------------

  /**
   * {@inheritDoc}
   *
   * <p>Changes made through this instance are told synchronously, before the changing method
   * returns (after its commit); changes made through other instances sharing the database are told
   * from the change-feed thread, which the first listener starts. Closing the last registration
   * does not stop that thread (a listener may be added again); {@link #close()} does.
   */
  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    feed.start();
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
   * <p>Connected while the change-feed thread's last read of the change table succeeded (with
   * {@link Builder#notifications notifications}: while its listening connection is up);
   * disconnected before the first listener starts the feed, while it retries after losing the
   * database, and after {@link #close()}. {@code reconnects} counts the times the feed read again
   * after failing. {@code lag} is how long ago the last complete read of the change table began:
   * every change another node committed before then has reached this store's listeners. The feed
   * reads at least every {@linkplain Builder#pollInterval poll interval} (and at once on a
   * notification), so a connected feed's lag stays below about that interval plus one read; a
   * disconnected feed's lag grows until it reads again. Answers from memory, never the database.
   */
  @Override
  public FeedStatus feedStatus() {
    return feed.status();
  }

  /**
   * Stops the change-feed thread and releases its connection, waiting for it about two seconds at
   * most. The store stays usable, but no longer hears other nodes' changes. Does not close the
   * {@code DataSource}. Idempotent.
   */
  @Override
  public void close() {
    feed.close();
  }

  /** Schema and channel; never contents. */
  @Override
  public String toString() {
    return "PostgresTokenStore[schema="
        + (schema == null ? "<search_path>" : schema)
        + ", channel="
        + channel
        + "]";
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** Work on one connection, within one call's deadline; may throw {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Timeouts.Call call) throws SQLException;
  }

  /**
   * Runs {@code work} in one read-committed transaction, committing if it returns, all within the
   * {@linkplain Builder#timeout timeout}. A failure before the commit rolls back; a failure of the
   * commit itself leaves the outcome unknown (the write is whole or absent), and the exception says
   * so.
   */
  private <T> T transaction(String operation, SqlWork<T> work) {
    Timeouts.Call call;
    try {
      call = timeouts.connect(dataSource);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
    boolean committing = false;
    try (call) {
      Connection connection = call.connection();
      boolean autoCommit = connection.getAutoCommit();
      int isolation = connection.getTransactionIsolation();
      try {
        if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
          call.bound("setting the isolation level");
          connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        connection.setAutoCommit(false);
        T result = work.run(call);
        committing = true;
        call.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        // Also after a failed commit: restoring auto-commit below would otherwise commit a
        // transaction the server still holds open.
        call.rollbackAfter(e);
        throw e;
      } finally {
        PostgresSchema.restoreQuietly(connection, autoCommit, isolation);
      }
    } catch (SQLException e) {
      if (committing) {
        throw new StoreUnavailableException(
            "PostgresTokenStore."
                + operation
                + " failed while committing; the write is either whole or absent: "
                + describe(e),
            e);
      }
      throw failure(operation, e);
    } catch (StoredDataException e) {
      throw new StoreUnavailableException(
          "PostgresTokenStore." + operation + " failed, nothing written: " + e.getMessage(), e);
    }
  }

  /**
   * Runs read-only {@code work} on a connection in whatever commit mode it has, within the
   * {@linkplain Builder#timeout timeout}.
   */
  private <T> T read(String operation, SqlWork<T> work) {
    Timeouts.Call call;
    try {
      call = timeouts.connect(dataSource);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
    try (call) {
      return work.run(call);
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "PostgresTokenStore." + operation + " failed: " + describe(e), e);
    } catch (StoredDataException e) {
      throw new StoreUnavailableException(
          "PostgresTokenStore." + operation + ": " + e.getMessage(), e);
    }
  }

  /** A failure before any commit: nothing of the operation was written. */
  private StoreUnavailableException failure(String operation, SQLException e) {
    return new StoreUnavailableException(
        "PostgresTokenStore." + operation + " failed, nothing written: " + describe(e), e);
  }

  /**
   * What went wrong, for exception messages: whether the database did not answer in time, then the
   * SQL state and message of {@code e}.
   */
  private String describe(SQLException e) {
    return timeouts.timeoutNote(e) + describeSql(e);
  }

  /** SQL state and message of {@code e}, for exception messages. */
  static String describeSql(SQLException e) {
    String state = e.getSQLState();
    return (state == null ? "" : "SQLState " + state + ": ")
        + (e.getMessage() == null ? e.getClass().getName() : e.getMessage());
  }

  /** Appends a change row and sends its notification, in the caller's transaction. */
  private void recordChange(Timeouts.Call call, String kind, @Nullable Long tokenId, String corp)
      throws SQLException {
    try (PreparedStatement change = call.prepare(sql.recordChange)) {
      change.setString(1, kind);
      if (tokenId == null) {
        change.setNull(2, Types.BIGINT);
      } else {
        change.setLong(2, tokenId);
      }
      change.setString(3, corp);
      change.setString(4, origin);
      change.setString(5, channel);
      try (ResultSet rows = change.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException(
              "the change clock row is missing from authcore_change_clock; apply the schema"
                  + " with PostgresSchema.migrate");
        }
      }
    }
  }

  private static List<TokenRecord> tokens(PreparedStatement query) throws SQLException {
    List<TokenRecord> out = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        out.add(token(rows));
      }
    }
    return List.copyOf(out);
  }

  /** The token in the current row, whose columns are {@link Sql#TOKEN_COLUMNS}. */
  private static TokenRecord token(ResultSet rows) throws SQLException {
    long id = rows.getLong(1);
    @Nullable String previous = rows.getString(11);
    try {
      return new TokenRecord(
          TokenId.fromLong(id),
          text(rows, 2),
          text(rows, 3),
          text(rows, 4),
          requiredInstant(rows, 5),
          instant(rows, 6),
          SecretHash.parse(text(rows, 7)),
          instant(rows, 8),
          textList(rows, 9),
          instant(rows, 10),
          previous == null ? null : SecretHash.parse(previous),
          instant(rows, 12),
          rows.getString(13));
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw new StoredDataException(
          "stored token " + TokenId.fromLong(id) + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** The id's bits with the sign flipped: compares as a signed long like ids compare unsigned. */
  static long sortKey(TokenId id) {
    return id.asLong() ^ Long.MIN_VALUE;
  }

  /** {@code instant} as epoch seconds with nanoseconds, exactly. */
  static BigDecimal decimal(Instant instant) {
    return BigDecimal.valueOf(instant.getEpochSecond())
        .add(BigDecimal.valueOf(instant.getNano(), 9));
  }

  /** The instant of epoch seconds {@code value}. */
  static Instant instant(BigDecimal value) {
    BigDecimal seconds = value.setScale(0, RoundingMode.FLOOR);
    int nanos = value.subtract(seconds).movePointRight(9).intValueExact();
    return Instant.ofEpochSecond(seconds.longValueExact(), nanos);
  }

  private static void setInstant(PreparedStatement statement, int index, @Nullable Instant value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.NUMERIC);
    } else {
      statement.setBigDecimal(index, decimal(value));
    }
  }

  private static @Nullable Instant instant(ResultSet rows, int column) throws SQLException {
    BigDecimal value = rows.getBigDecimal(column);
    return value == null ? null : instant(value);
  }

  private static Instant requiredInstant(ResultSet rows, int column) throws SQLException {
    Instant value = instant(rows, column);
    if (value == null) {
      throw new SQLException("column " + column + " is NULL but declared NOT NULL");
    }
    return value;
  }

  private static String text(ResultSet rows, int column) throws SQLException {
    String value = rows.getString(column);
    if (value == null) {
      throw new SQLException("column " + column + " is NULL but declared NOT NULL");
    }
    return value;
  }

  private static Array textArray(Connection connection, List<String> values) throws SQLException {
    return connection.createArrayOf("text", values.toArray(new String[0]));
  }

  private static List<String> textList(ResultSet rows, int column) throws SQLException {
    Array array = rows.getArray(column);
    if (array == null) {
      return List.of();
    }
    try {
      Object[] values = (Object[]) array.getArray();
      List<String> out = new ArrayList<>(values.length);
      for (Object value : values) {
        out.add(String.valueOf(value));
      }
      return out;
    } finally {
      array.free();
    }
  }

  /** Stored data this version cannot read: a bug or a schema changed by hand. */
  static final class StoredDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoredDataException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Corp settings as the database keeps them; compared by value for compare-and-set. */
  record StoredSettings(
      @Nullable Long expiryMillis,
      boolean restricted,
      String allowedIps,
      @Nullable Integer inactiveDays,
      @Nullable String stagedAllowedIps,
      @Nullable Long stagedSince) {
    /** How many parameters {@link #bind} sets. */
    static final int COLUMNS = 6;

    static final StoredSettings DEFAULTS = of(TokenSettings.defaults());

    static StoredSettings of(TokenSettings settings) {
      return new StoredSettings(
          settings.expiry().maxAge().map(Duration::toMillis).orElse(null),
          settings.restricted(),
          settings.allowedIps().isEmpty() ? "" : settings.allowedIps().toText(),
          settings.inactiveDays(),
          settings.staged() == null ? null : settings.staged().allowedIps().toText(),
          settings.staged() == null ? null : settings.staged().since().toEpochMilli());
    }

    static TokenSettings settings(String corp, StoredSettings stored) {
      try {
        ExpiryPolicy expiry =
            stored.expiryMillis == null
                ? ExpiryPolicy.never()
                : ExpiryPolicy.after(Duration.ofMillis(stored.expiryMillis));
        IpAllowList allowed =
            stored.allowedIps.isEmpty()
                ? IpAllowList.empty()
                : IpAllowList.parse(stored.allowedIps);
        @Nullable StagedAllowList staged =
            stored.stagedAllowedIps == null || stored.stagedSince == null
                ? null
                : new StagedAllowList(
                    IpAllowList.parse(stored.stagedAllowedIps),
                    Instant.ofEpochMilli(stored.stagedSince));
        return new TokenSettings(expiry, stored.restricted, allowed, stored.inactiveDays, staged);
      } catch (IllegalArgumentException | dev.authcore.model.InvalidInputException e) {
        throw new StoredDataException(
            "stored settings of corp " + corp + " are unreadable: " + e.getMessage(), e);
      }
    }

    void bind(PreparedStatement statement, int first) throws SQLException {
      if (expiryMillis == null) {
        statement.setNull(first, Types.BIGINT);
      } else {
        statement.setLong(first, expiryMillis);
      }
      statement.setBoolean(first + 1, restricted);
      statement.setString(first + 2, allowedIps);
      if (inactiveDays == null) {
        statement.setNull(first + 3, Types.INTEGER);
      } else {
        statement.setInt(first + 3, inactiveDays);
      }
      statement.setString(first + 4, stagedAllowedIps);
      if (stagedSince == null) {
        statement.setNull(first + 5, Types.BIGINT);
      } else {
        statement.setLong(first + 5, stagedSince);
      }
    }
  }

  /**
   * Configures a {@link PostgresTokenStore}. Setters validate at once and throw {@link
   * IllegalArgumentException} saying what is wrong. Not thread-safe; build once.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private @Nullable String schema;
    private String channel = DEFAULT_CHANNEL;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    private @Nullable NotificationWaiter waiter;
    private @Nullable DataSource listenSource;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * The PostgreSQL schema holding the tables, as given to {@link
     * PostgresSchema#migrate(DataSource, String)}. Default: none, the tables are found through the
     * connections' {@code search_path}.
     *
     * @throws IllegalArgumentException unless 1 to 63 characters from {@code [a-z0-9_]}, not
     *     starting with a digit
     */
    public Builder schema(String schema) {
      PostgresSchema.checkIdentifier(schema, "schema");
      this.schema = schema;
      return this;
    }

    /**
     * The {@code LISTEN/NOTIFY} channel; every node of a deployment must use the same one. Default
     * {@value #DEFAULT_CHANNEL}. A notification is only a wake-up, so deployments sharing a channel
     * only wake each other needlessly.
     *
     * @throws IllegalArgumentException unless 1 to 63 characters from {@code [a-z0-9_]}, not
     *     starting with a digit
     */
    public Builder channel(String channel) {
      PostgresSchema.checkIdentifier(channel, "channel");
      this.channel = channel;
      return this;
    }

    /**
     * How often the change table is read for other nodes' changes: 10 ms to 1 hour. With {@link
     * #notifications} it is how long the feed waits for a notification before reading anyway.
     * Default 1 second.
     */
    public Builder pollInterval(Duration interval) {
      checkArgument(
          interval.compareTo(Duration.ofMillis(10)) >= 0
              && interval.compareTo(Duration.ofHours(1)) <= 0,
          "poll interval must be 10 ms to 1 hour, got %s",
          interval);
      this.pollInterval = interval;
      return this;
    }

    /**
     * The longest one call of the store may wait on the database before it fails with {@link
     * StoreUnavailableException}: 100 ms to 10 minutes, default {@value #DEFAULT_TIMEOUT_SECONDS}
     * seconds. Also bounds each statement of the change feed.
     *
     * <p>Why 3 seconds: a healthy call is a few indexed single-row statements or one page of a
     * listing and takes milliseconds, so 3 s is hundreds of times that even on a loaded database
     * and does not fail a call that would have succeeded; and a request that misses auth-core's
     * cache while the database is stuck gets its 503 within the patience of interactive clients and
     * well inside the usual proxy and client timeouts (10 to 60 s), instead of holding one of the
     * gateway's request threads for minutes. Lower it when requests must fail faster and the
     * database is near; raise it only for a slow link.
     *
     * <p>How it is enforced, and what the {@code DataSource} must bound itself (acquiring a
     * connection), is in the class description under <i>Time bounds</i>.
     *
     * @throws IllegalArgumentException if outside 100 ms to 10 minutes
     */
    public Builder timeout(Duration timeout) {
      checkArgument(
          timeout.compareTo(Duration.ofMillis(100)) >= 0
              && timeout.compareTo(Duration.ofMinutes(10)) <= 0,
          "timeout must be 100 ms to 10 minutes, got %s",
          timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * Hears {@code LISTEN/NOTIFY} on a connection of the store's own {@code DataSource}: the change
     * feed holds it for the store's life (until it fails), listens on the {@linkplain #channel
     * channel} and reads the change table as soon as {@code waiter} reports a notification. See
     * {@link NotificationWaiter} for the pgjdbc one-liner. Default: none, poll only.
     *
     * <p>On a pool, prefer {@link #notifications(NotificationWaiter, DataSource)}: a connection
     * held for ever is one the pool cannot lend (size the pool one larger than the requests need)
     * and looks like a leak to leak detection (HikariCP's {@code leakDetectionThreshold} then logs
     * an "apparent connection leak" for it; leave that setting at 0 on this pool).
     */
    public Builder notifications(NotificationWaiter waiter) {
      this.waiter = waiter;
      this.listenSource = null;
      return this;
    }

    /**
     * Hears {@code LISTEN/NOTIFY} on a connection of {@code listenConnections}, kept apart from the
     * store's pool: the change feed opens one connection there, holds it until it fails and then
     * opens another; the pool lends all its connections to calls, and its leak detection stays
     * meaningful. Otherwise as {@link #notifications(NotificationWaiter)}.
     *
     * <p>Pass the driver's plain {@code DataSource} on the same database (for pgjdbc a {@code
     * PGSimpleDataSource} with the pool's URL and credentials), with {@code connectTimeout} and
     * {@code loginTimeout} set: the feed opens a connection only at start and after a failure, so a
     * pool would add nothing but a connection it never gets back.
     *
     * <p>This is the recommended form for a pooled store: it is why the store takes a second source
     * rather than a connection count to reserve.
     */
    public Builder notifications(NotificationWaiter waiter, DataSource listenConnections) {
      this.waiter = waiter;
      this.listenSource = listenConnections;
      return this;
    }

    /** Builds the store. Does not connect. */
    public PostgresTokenStore build() {
      return new PostgresTokenStore(this);
    }
  }
}
