package dev.authcore;

import dev.authcore.internal.Emails;
import dev.authcore.internal.Instants;
import dev.authcore.model.TokenId;
import dev.authcore.net.AllowListException;
import dev.authcore.net.IpAllowList;
import dev.authcore.spi.TokenRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token as the request path needs it, prepared once when it is loaded into the cache: times as
 * epoch milliseconds, the owner's lookup key, the hash bytes and key, and the {@link
 * Verification.Authenticated} answer, so a successful verification allocates nothing.
 *
 * <p>It also accumulates the token's use on this node (last use, recent client addresses) until
 * {@link UsageRecorder} writes it to the store.
 */
final class CachedToken extends TokenEntry {
  private static final System.Logger LOG = System.getLogger(CachedToken.class.getName());
  private static final VarHandle RECENT;
  private static final VarHandle LAST_USED;
  private static final VarHandle DIRTY;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RECENT = lookup.findVarHandle(CachedToken.class, "recent", InetAddress[].class);
      LAST_USED = lookup.findVarHandle(CachedToken.class, "lastUsedMillis", long.class);
      DIRTY = lookup.findVarHandle(CachedToken.class, "dirty", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String corp;
  final String ownerEmail;
  final String ownerKey;
  final long createdMillis;

  /** The token's own expiry, or {@code Long.MAX_VALUE}. */
  final long ownExpiryMillis;

  /** Its last use as written to the store when loaded, or its creation if never used. */
  final long storedLastUseMillis;

  final Verification.Authenticated authenticated;

  /**
   * Whether the token has its own allow list: the one check a token without one costs on the
   * request path.
   */
  final boolean hasOwnIps;

  /**
   * The token's own allow list, parsed once here, when {@link #hasOwnIps}; {@code null} without
   * one, and also when the stored text does not parse (then every client is refused: a list that
   * cannot be read must not let everyone in).
   */
  final @Nullable IpAllowList ownIps;

  /** Latest successful use on this node not yet written; 0 when none. */
  @SuppressWarnings("UnusedVariable") // accessed through LAST_USED
  private volatile long lastUsedMillis;

  /** Distinct recent client addresses, newest first; copy-on-write. */
  private volatile InetAddress[] recent;

  /** Whether use is waiting in the recorder's queue. */
  @SuppressWarnings("UnusedVariable") // accessed through DIRTY
  private volatile boolean dirty;

  /** A token with no refresh ahead of its bound: for tests of what it accumulates. */
  CachedToken(
      TokenRecord record, SecretHasher.@Nullable Key key, InetAddress[] recent, long loadedMillis) {
    this(record, key, null, recent, loadedMillis, Long.MAX_VALUE);
  }

  /**
   * @param freshForMillis the age from which a use refreshes the entry (see {@link
   *     TokenEntry#freshForMillis})
   */
  CachedToken(
      TokenRecord record,
      SecretHasher.@Nullable Key key,
      SecretHasher.@Nullable Key previousKey,
      InetAddress[] recent,
      long loadedMillis,
      long freshForMillis) {
    super(
        record.id(),
        loadedMillis,
        freshForMillis,
        record.hash().toByteArray(),
        key,
        hasGrace(record) ? Objects.requireNonNull(record.previousHash()).toByteArray() : null,
        hasGrace(record) ? previousKey : null,
        hasGrace(record)
            ? Instants.saturatedEpochMillis(Objects.requireNonNull(record.previousValidUntil()))
            : Long.MIN_VALUE);
    this.corp = record.corp();
    this.ownerEmail = record.ownerEmail();
    this.ownerKey = Emails.key(record.ownerEmail());
    this.createdMillis = record.created().toEpochMilli();
    this.ownExpiryMillis =
        record.expiresAt() == null
            ? Long.MAX_VALUE
            : Instants.saturatedEpochMillis(record.expiresAt());
    @Nullable Instant lastUsed = record.lastUsed();
    this.storedLastUseMillis =
        lastUsed == null
            ? createdMillis
            : Math.max(createdMillis, Instants.saturatedEpochMillis(lastUsed));
    this.authenticated =
        new Verification.Authenticated(record.corp(), record.ownerEmail(), id, record.name());
    this.recent = recent;
    @Nullable String ownText = record.allowedIps();
    this.hasOwnIps = ownText != null;
    this.ownIps = ownText == null ? null : parseOwnList(id, ownText);
  }

  /** Whether the record keeps a previous secret with the end of its grace period. */
  private static boolean hasGrace(TokenRecord record) {
    return record.previousHash() != null && record.previousValidUntil() != null;
  }

  private static @Nullable IpAllowList parseOwnList(TokenId id, String text) {
    try {
      return IpAllowList.parse(text);
    } catch (AllowListException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "stored allow list of token "
              + id
              + " is unreadable; every client is refused until it is set again: "
              + e.getMessage());
      return null;
    }
  }

  /**
   * Whether the token's own allow list, if it has one, lets {@code client} in. Without a list it is
   * one field read; with one, a lookup as in {@link IpAllowList#allows}.
   */
  boolean ownListAllows(InetAddress client) {
    if (!hasOwnIps) {
      return true;
    }
    IpAllowList list = ownIps;
    return list != null && list.allows(client);
  }

  /**
   * Notes a successful use at {@code now} from {@code client}.
   *
   * @return {@code true} if this call should queue the token for writing (it was clean)
   */
  boolean markUsed(long now) {
    if ((long) LAST_USED.getOpaque(this) < now) {
      LAST_USED.setOpaque(this, now);
    }
    return !(boolean) DIRTY.getOpaque(this) && DIRTY.compareAndSet(this, false, true);
  }

  /** Whether {@code client} is the newest recent address: the cheap common case. */
  boolean isNewestAddress(InetAddress client) {
    InetAddress[] current = recent;
    return current.length > 0 && current[0].equals(client);
  }

  /**
   * Moves {@code client} (normalised) to the front of the recent addresses.
   *
   * @return whether it was not among them before (a new address)
   */
  boolean pushAddress(InetAddress client) {
    while (true) {
      InetAddress[] current = recent;
      int at = -1;
      for (int i = 0; i < current.length; i++) {
        if (current[i].equals(client)) {
          at = i;
          break;
        }
      }
      if (at == 0) {
        return false;
      }
      int size = at > 0 ? current.length : Math.min(current.length + 1, TokenRecord.MAX_RECENT_IPS);
      InetAddress[] next = new InetAddress[size];
      next[0] = client;
      for (int from = 0, to = 1; to < size; from++) {
        if (from != at) {
          next[to++] = current[from];
        }
      }
      if (RECENT.compareAndSet(this, current, next)) {
        return at < 0;
      }
    }
  }

  /** Clears the dirty mark before the recorder reads the use, so later uses re-queue. */
  void clearDirty() {
    DIRTY.setVolatile(this, false);
  }

  long lastUsedMillis() {
    return (long) LAST_USED.getVolatile(this);
  }

  InetAddress[] recentAddresses() {
    return recent;
  }

  @Override
  public String toString() {
    return "CachedToken[" + id + "]";
  }
}
