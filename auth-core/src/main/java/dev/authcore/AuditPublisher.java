package dev.authcore;

import dev.authcore.internal.LogSafe;
import dev.authcore.internal.wiring.ConsoleAudit;
import dev.authcore.model.TokenId;
import dev.authcore.net.ClientAddresses;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.TokenRecord;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one owner of a deployment's audit listeners: builds each {@link AuditEvent} from what its
 * callers report, makes text that came from a request safe with {@link LogSafe#escape}, and hands
 * the event to every listener in registration order. A listener that throws is logged and skipped;
 * the operation and the other listeners go on.
 *
 * <p>Publishing has no other effect: it changes no cache and no state. With no listener, reporting
 * builds nothing and reads no clock, so the request path pays nothing for it.
 *
 * <p>Thread-safe: the listener list is fixed when the deployment is built.
 */
final class AuditPublisher implements ConsoleAudit {
  private static final System.Logger LOG = System.getLogger(AuditPublisher.class.getName());

  private final List<AuditListener> listeners;
  private final InstantSource clock;

  AuditPublisher(List<AuditListener> listeners, InstantSource clock) {
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
  }

  /** A token was issued. */
  void tokenCreated(
      Instant at, String corp, String actor, TokenId id, String name, @Nullable Instant expiresAt) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.TokenCreated(at, corp, actor, id, name, expiresAt));
    }
  }

  /** A token was deleted. */
  void tokenDeleted(
      Instant at, String corp, String actor, TokenId id, String name, String tokenOwner) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.TokenDeleted(at, corp, actor, id, name, tokenOwner));
    }
  }

  /** A token's secret was rotated. */
  void tokenRotated(
      Instant at, String actor, TokenRecord rotated, @Nullable Instant previousValidUntil) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenRotated(
              at,
              rotated.corp(),
              actor,
              rotated.id(),
              rotated.name(),
              rotated.ownerEmail(),
              previousValidUntil));
    }
  }

  /** A token verified with its previous secret during a grace period. */
  void previousSecretUsed(CachedToken token, long now, InetAddress client) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.PreviousSecretUsed(
              Instant.ofEpochMilli(now),
              token.corp,
              token.id,
              token.authenticated.tokenName(),
              token.ownerEmail,
              addressText(client)));
    }
  }

  /** A token found in a leak report with its secret was deleted. */
  void tokenLeaked(Instant at, TokenRecord deleted, @Nullable String source) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenLeaked(
              at, deleted.corp(), deleted.id(), deleted.name(), deleted.ownerEmail(), source));
    }
  }

  /**
   * A verification was rejected.
   *
   * @param id the presented token's id if it was well-formed
   * @param corp the token's corp if the id is known
   * @param email the {@code x-api-user} value as received, escaped here
   * @param client the client's address
   * @param refusedBy for {@code IP_NOT_ALLOWED}, the allow list that refused, else {@code null}
   */
  void rejected(
      RejectionReason reason,
      @Nullable TokenId id,
      @Nullable String corp,
      @Nullable String email,
      InetAddress client,
      @Nullable String refusedBy) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenRejected(
              Instant.ofEpochMilli(clock.millis()),
              reason,
              id,
              corp,
              claimedUser(email),
              addressText(client),
              refusedBy));
    }
  }

  /**
   * A verification was rejected {@code MALFORMED} because the client address, given as text, is not
   * an address.
   */
  void rejectedAddress(@Nullable String email, String clientAddress) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenRejected(
              Instant.ofEpochMilli(clock.millis()),
              RejectionReason.MALFORMED,
              null,
              null,
              claimedUser(email),
              "malformed: " + LogSafe.escape(clientAddress)));
    }
  }

  /** A token verified from an address not among its recent ones. */
  void usedFromNewAddress(CachedToken token, long now, InetAddress client) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenUsedFromNewIp(
              Instant.ofEpochMilli(now),
              token.corp,
              token.id,
              token.ownerEmail,
              addressText(client)));
    }
  }

  void wouldBeBlocked(CachedToken token, long now, InetAddress client, long stagedSinceMillis) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.WouldBeBlocked(
              Instant.ofEpochMilli(now),
              token.corp,
              token.id,
              token.ownerEmail,
              addressText(client),
              Instant.ofEpochMilli(stagedSinceMillis)));
    }
  }

  @Override
  public void settingsChanged(
      Instant at, String corp, String actor, TokenSettings before, TokenSettings after) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.SettingsChanged(at, corp, actor, before, after));
    }
  }

  @Override
  public void permissionChanged(
      Instant at,
      String corp,
      String actor,
      String user,
      boolean before,
      boolean after,
      @Nullable Instant until) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.PermissionChanged(at, corp, actor, user, before, after, until));
    }
  }

  /** The grant of {@code grant.email()}'s permission ended at {@code grant.until()}. */
  void permissionExpired(Instant at, EndedGrant grant) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.PermissionExpired(at, grant.corp(), grant.email(), grant.until()));
    }
  }

  @Override
  public void tokenAllowListChanged(Instant at, String actor, TokenRecord changed) {
    if (!listeners.isEmpty()) {
      @Nullable String list = changed.allowedIps();
      publish(
          new AuditEvent.TokenAllowListChanged(
              at,
              changed.corp(),
              actor,
              changed.id(),
              changed.name(),
              changed.ownerEmail(),
              list == null ? "" : list));
    }
  }

  /** A token's effective expiry, {@code expires}, falls within {@code threshold}. */
  void tokenExpiringSoon(Instant at, TokenRecord token, Instant expires, Duration threshold) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenExpiringSoon(
              at, token.corp(), token.id(), token.name(), token.ownerEmail(), expires, threshold));
    }
  }

  /** A token's effective expiry, {@code expired}, has passed. */
  void tokenExpired(Instant at, TokenRecord token, Instant expired) {
    if (!listeners.isEmpty()) {
      publish(
          new AuditEvent.TokenExpired(
              at, token.corp(), token.id(), token.name(), token.ownerEmail(), expired));
    }
  }

  /** The store could not be reached: outage mode started at {@code at}. */
  void outageStarted(Instant at, Duration outageGrace) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.OutageStarted(at, outageGrace));
    }
  }

  /** The store answered again at {@code at}: outage mode, started at {@code since}, ended. */
  void outageEnded(Instant at, Instant since) {
    if (!listeners.isEmpty()) {
      publish(new AuditEvent.OutageEnded(at, since));
    }
  }

  private void publish(AuditEvent event) {
    for (AuditListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "audit listener " + listener + " failed on " + event.getClass(), e);
      }
    }
  }

  /**
   * The claimed user for an event, made safe: a client that swaps the headers, or sends its token
   * in both, must not put a live token into the audit log.
   */
  private static String claimedUser(@Nullable String email) {
    return email == null ? "<missing>" : LogSafe.escape(email);
  }

  /** An address as the store records it: IPv4-mapped as IPv4, no zone id. */
  private static String addressText(InetAddress client) {
    return ClientAddresses.format(client);
  }
}
