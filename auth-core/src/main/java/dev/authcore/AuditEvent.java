package dev.authcore;

import dev.authcore.model.TokenId;
import dev.authcore.policy.TokenSettings;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something an auditor wants to know, published to every {@link AuditListener}: a token created,
 * deleted, rotated, given its own IP allow list, revoked as leaked, rejected, used from a new
 * address, used with its previous secret or from where a staged allow list would refuse it; a
 * corp's settings or a user's permission changed, or a grant of it ended; the deployment started or
 * stopped serving in outage mode (its store could not be reached); a token's expiry is near or has
 * passed (sent by {@link AuthCore#sweepExpiryNotices}).
 *
 * <p>Events are immutable values with UTC instants. They never carry a token or its secret. Every
 * string that came from a request (a claimed email) is escaped (control and non-ASCII characters as
 * {@code \\uXXXX}, shortened if long), so an event is safe to write to a log line as it is.
 */
public sealed interface AuditEvent
    permits AuditEvent.TokenCreated,
        AuditEvent.TokenDeleted,
        AuditEvent.TokenRotated,
        AuditEvent.TokenAllowListChanged,
        AuditEvent.PreviousSecretUsed,
        AuditEvent.TokenLeaked,
        AuditEvent.TokenRejected,
        AuditEvent.TokenUsedFromNewIp,
        AuditEvent.WouldBeBlocked,
        AuditEvent.SettingsChanged,
        AuditEvent.PermissionChanged,
        AuditEvent.PermissionExpired,
        AuditEvent.OutageStarted,
        AuditEvent.OutageEnded,
        AuditEvent.TokenExpiringSoon,
        AuditEvent.TokenExpired {

  /** When it happened. */
  Instant at();

  /**
   * The corp it concerns, or {@code null} for a rejection that names no known token and for the
   * deployment-wide outage events.
   */
  @Nullable String corp();

  /** A token was issued. */
  record TokenCreated(
      Instant at,
      String corp,
      String actor,
      TokenId tokenId,
      String tokenName,
      @Nullable Instant expiresAt)
      implements AuditEvent {}

  /** A token was deleted by {@code actor} (its owner, or an owner of the corp). */
  record TokenDeleted(
      Instant at, String corp, String actor, TokenId tokenId, String tokenName, String tokenOwner)
      implements AuditEvent {}

  /**
   * A token's secret was replaced by {@code actor} (its owner, or an owner of the corp): see {@link
   * TokenIssuer#rotate}. The token keeps its id, name, owner and creation.
   *
   * @param tokenOwner the email of the token's owner
   * @param previousValidUntil until when the previous secret keeps working (exclusive), or {@code
   *     null} when the rotation gave no grace period and the previous secret stopped at once
   */
  record TokenRotated(
      Instant at,
      String corp,
      String actor,
      TokenId tokenId,
      String tokenName,
      String tokenOwner,
      @Nullable Instant previousValidUntil)
      implements AuditEvent {}

  /**
   * A token's own IP allow list was set, replaced or removed by {@code actor} (its owner, or an
   * owner of the corp): see {@link dev.authcore.console.TokenConsole#setAllowedIps}. From then on a
   * request with the token must pass this list as well as the corp's.
   *
   * @param tokenOwner the email of the token's owner
   * @param allowedIps the token's list now, as canonical text; empty when it was removed
   */
  record TokenAllowListChanged(
      Instant at,
      String corp,
      String actor,
      TokenId tokenId,
      String tokenName,
      String tokenOwner,
      String allowedIps)
      implements AuditEvent {}

  /**
   * A request verified with a token's previous secret, during the grace period of its last
   * rotation: a job that still runs on the old secret, to move before the grace period ends.
   * Published on every such use.
   *
   * @param tokenOwner the email of the token's owner
   * @param clientIp the client address (IPv4-mapped IPv6 as IPv4, no zone id)
   */
  record PreviousSecretUsed(
      Instant at,
      String corp,
      TokenId tokenId,
      String tokenName,
      String tokenOwner,
      String clientIp)
      implements AuditEvent {}

  /**
   * A token was found in text someone reported as leaked, with its secret, and was revoked
   * (deleted): see {@link TokenIssuer#revokeLeaked}. Tell its owner: the token stopped working, and
   * whoever held it had it. No actor: whoever reported it showed no credentials.
   *
   * @param tokenOwner the email of the token's owner
   * @param source where the reporter said the text was found, as given but with any token or
   *     secret-like text in it redacted, or {@code null} if the reporter did not say
   */
  record TokenLeaked(
      Instant at,
      String corp,
      TokenId tokenId,
      String tokenName,
      String tokenOwner,
      @Nullable String source)
      implements AuditEvent {}

  /**
   * A verification was rejected.
   *
   * @param tokenId the presented token's id when the token was well-formed, else {@code null}
   * @param corp the token's corp when the id is known, else {@code null}
   * @param claimedUser the {@code x-api-user} value as received, escaped, with any token or secret
   *     in it redacted (a client that swapped its headers); {@code <missing>} if it was absent
   * @param clientIp the client address (IPv4-mapped IPv6 as IPv4, no zone id), or {@code "unknown"}
   * @param refusedBy for {@code IP_NOT_ALLOWED}, which allow list refused the client: {@link
   *     #CORP_LIST} ({@code "corp"}) or {@link #TOKEN_LIST} ({@code "token"}, the token's own); the
   *     corp's is checked first, so {@code "token"} means the corp's list let the client in. {@code
   *     null} for every other reason
   */
  record TokenRejected(
      Instant at,
      RejectionReason reason,
      @Nullable TokenId tokenId,
      @Nullable String corp,
      String claimedUser,
      String clientIp,
      @Nullable String refusedBy)
      implements AuditEvent {

    /** {@link #refusedBy()} when the corp's allow list refused the client. */
    public static final String CORP_LIST = "corp";

    /** {@link #refusedBy()} when the token's own allow list refused the client. */
    public static final String TOKEN_LIST = "token";

    /**
     * @throws IllegalArgumentException if {@code refusedBy} is set but is neither {@link
     *     #CORP_LIST} nor {@link #TOKEN_LIST}, or is set for a reason other than {@code
     *     IP_NOT_ALLOWED}
     */
    public TokenRejected {
      if (refusedBy != null) {
        if (!refusedBy.equals(CORP_LIST) && !refusedBy.equals(TOKEN_LIST)) {
          throw new IllegalArgumentException(
              "refusedBy must be \"corp\", \"token\" or null, was '"
                  + dev.authcore.internal.LogSafe.escape(refusedBy)
                  + "'");
        }
        if (reason != RejectionReason.IP_NOT_ALLOWED) {
          throw new IllegalArgumentException(
              "refusedBy names an allow list, so it is only set for IP_NOT_ALLOWED, not " + reason);
        }
      }
    }

    /** A rejection that no allow list decided: as the canonical constructor with no list. */
    public TokenRejected(
        Instant at,
        RejectionReason reason,
        @Nullable TokenId tokenId,
        @Nullable String corp,
        String claimedUser,
        String clientIp) {
      this(at, reason, tokenId, corp, claimedUser, clientIp, null);
    }
  }

  /** A token verified from an address not among its recent ones: possibly a leaked token. */
  record TokenUsedFromNewIp(
      Instant at, String corp, TokenId tokenId, String tokenOwner, String clientIp)
      implements AuditEvent {}

  /**
   * A request the corp's staged allow list ({@link dev.authcore.policy.StagedAllowList}) would have
   * refused; it was accepted, as every other rule and the list in force allowed it. Published at
   * most once per token and client address per hour on each node (a busy job refused by the staged
   * list does not flood the stream): every such request is counted for the owners' table, the first
   * of an hour is published. A deployment of n nodes may publish up to n per hour for one token and
   * address.
   *
   * @param stagedSince when the list was staged ({@code StagedAllowList.since})
   * @param clientIp the client address (IPv4-mapped IPv6 as IPv4, no zone id)
   */
  record WouldBeBlocked(
      Instant at,
      String corp,
      TokenId tokenId,
      String tokenOwner,
      String clientIp,
      Instant stagedSince)
      implements AuditEvent {}

  /** An owner changed the corp's token settings. */
  record SettingsChanged(
      Instant at, String corp, String actor, TokenSettings before, TokenSettings after)
      implements AuditEvent {}

  /**
   * An owner granted or revoked a user's token permission, or changed the end of a grant.
   *
   * @param before whether the user held the permission just before the change
   * @param after whether the user holds it after the change
   * @param until the end of the new grant (exclusive), or {@code null} for a grant without an end
   *     and for a revocation
   */
  record PermissionChanged(
      Instant at,
      String corp,
      String actor,
      String user,
      boolean before,
      boolean after,
      @Nullable Instant until)
      implements AuditEvent {
    /** A grant without an end, or a revocation: {@code until} is null. */
    public PermissionChanged(
        Instant at, String corp, String actor, String user, boolean before, boolean after) {
      this(at, corp, actor, user, before, after, null);
    }
  }

  /**
   * A grant of the token permission reached its end: from {@code until} on, the user no longer
   * holds the permission (in a restricted corp their tokens are disabled, as after a revocation).
   * No actor: published by {@link AuthCore#sweepExpiryNotices} once per grant end, whichever node
   * sweeps (the store claims each end for one sweep, {@link
   * dev.authcore.spi.TokenStore#claimEndedGrants}); the permission ends at {@code until} whether or
   * not a sweep ever runs. A new grant of the user that ends again is published again.
   *
   * @param at when the sweep saw the end (at or after {@code until})
   * @param user the lookup key (ASCII lower-cased email) of the user whose grant ended
   * @param until the end of the grant
   */
  record PermissionExpired(Instant at, String corp, String user, Instant until)
      implements AuditEvent {}

  /**
   * The deployment's cache could not reach the store (a read failed with {@link
   * dev.authcore.model.StoreUnavailableException}): the deployment now serves in outage mode.
   * Cached token records and corp settings keep being served for up to {@code outageGrace} past the
   * cache bound; what is not cached fails closed. Published once when outage mode starts; {@link
   * OutageEnded} follows when a store call succeeds again. Carries no token, no secret and no text
   * from the store's failure.
   *
   * @param at when the first failed read was seen
   * @param outageGrace the deployment's outage grace ({@link Duration#ZERO} when disabled: then
   *     nothing is served past the cache bound)
   */
  record OutageStarted(Instant at, Duration outageGrace) implements AuditEvent {
    /** Always {@code null}: an outage concerns the whole deployment. */
    @Override
    public @Nullable String corp() {
      return null;
    }
  }

  /**
   * A store call by the deployment (a cache read, a usage write, an issuer or console call)
   * succeeded again after {@link OutageStarted}: outage mode ended, and entries are again served
   * only within the cache bound. Published once per outage.
   *
   * @param at when the first successful call was seen
   * @param since when the outage mode started (the {@code at} of its {@link OutageStarted})
   */
  record OutageEnded(Instant at, Instant since) implements AuditEvent {
    /** Always {@code null}: an outage concerns the whole deployment. */
    @Override
    public @Nullable String corp() {
      return null;
    }
  }

  /**
   * A token's effective expiry is near: published by {@link AuthCore#sweepExpiryNotices} once per
   * token for each of the thresholds 7 days and 1 day before it, so its owner can be told (as
   * GitLab and GitHub e-mail a week ahead). No actor: the deployment's schedule sent it. Tokens
   * that are disabled get none; see {@link dev.authcore.policy.ExpiryNotice} for which notice a
   * sweep sends when several are due.
   *
   * @param tokenOwner the email of the token's owner
   * @param expires the token's effective expiry at the sweep: the earlier of its own expiry and the
   *     corp's policy in force then
   * @param threshold how long before {@code expires} this notice falls due: 7 days or 1 day
   */
  record TokenExpiringSoon(
      Instant at,
      String corp,
      TokenId tokenId,
      String tokenName,
      String tokenOwner,
      Instant expires,
      Duration threshold)
      implements AuditEvent {}

  /**
   * A token's effective expiry has passed: it no longer verifies ({@code EXPIRED}). Published by
   * {@link AuthCore#sweepExpiryNotices} once per token; no {@link TokenExpiringSoon} follows it.
   *
   * @param tokenOwner the email of the token's owner
   * @param expired when it expired: the earlier of its own expiry and the corp's policy in force at
   *     the sweep
   */
  record TokenExpired(
      Instant at,
      String corp,
      TokenId tokenId,
      String tokenName,
      String tokenOwner,
      Instant expired)
      implements AuditEvent {}
}
