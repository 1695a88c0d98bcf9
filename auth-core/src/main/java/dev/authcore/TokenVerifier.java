package dev.authcore;

import dev.authcore.internal.Emails;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks a request's {@code x-api-user} and {@code x-api-token} against the store: the per-request
 * path.
 *
 * <p>Checks run in this order, and the first that fails decides the {@link RejectionReason}:
 *
 * <ol>
 *   <li>user and token present, the user 3 to 254 characters long (the email rules' bounds), the
 *       token in this deployment's format with a valid checksum ({@code MALFORMED}; no lookup, no
 *       hashing);
 *   <li>the id exists ({@code UNKNOWN}); the cache keeps the ids the store lacked beside the tokens
 *       it has, so a known id and an unknown one seen before are found by the same lookup and
 *       hashed and compared the same way (an unknown id against a hash nothing matches), and timing
 *       does not tell which ids exist (measured by {@code IdTimingProbe} in auth-benchmarks: sample
 *       against sample, neither is faster more often than a control pair; an entry cached after
 *       another in the same bin of the hash table is found a few nanoseconds later, whichever kind
 *       it is); an id not cached at all is read from the store first, whether it exists or not;
 *   <li>the secret's hash matches, compared in constant time ({@code INVALID}): the token's current
 *       secret, or, while the grace period of its last {@linkplain TokenIssuer#rotate rotation}
 *       runs, its previous one (both compared every time, so neither the time nor the answer tells
 *       which matched; a use of the previous secret publishes {@link
 *       AuditEvent.PreviousSecretUsed});
 *   <li>the token belongs to the named user, ignoring ASCII case ({@code INVALID}: a caller learns
 *       nothing more than from a wrong secret);
 *   <li>policy, only now: {@code EXPIRED}, {@code DISABLED}, {@code IP_NOT_ALLOWED} (the client
 *       must pass both the corp's allow list and the token's own, when either is set; the
 *       rejection's event names the list that refused).
 * </ol>
 *
 * <p>A request accepted while the corp has an allow list staged in report-only mode ({@link
 * dev.authcore.policy.StagedAllowList}) is also checked against the staged list, which decides
 * nothing: a request it would refuse is counted for the owners' table and reported ({@link
 * AuditEvent.WouldBeBlocked}, at most once per token and address per hour on each node).
 *
 * <p><b>Arguments.</b> The user and the token are request data: either may be {@code null} (the
 * header was absent), which is a {@code MALFORMED} rejection like any other bad value. The client
 * address is the caller's own data (the socket peer, or what a {@code ClientAddressResolver} found)
 * and is required: {@code null} throws {@link NullPointerException} before anything is checked,
 * whatever the token. The two ways of giving it have different names, {@link #verify} for an {@link
 * InetAddress} and {@link #verifyWithAddressText} for text, so no call is ambiguous.
 *
 * <p><b>Cost.</b> On a cache hit, with the default SHA-256 hashing, a verification allocates
 * nothing once compiled (the parsed id is its one object, and it does not escape: JMH's {@code
 * -prof gc} reads 0 bytes per verification on HotSpot 17 in most runs; in a run where C2 compiles
 * the format check or the cache lookup on its own first, it then declines to inline that method
 * into this one, and the id's 24 bytes are allocated), takes no lock, logs nothing, reads the clock
 * once, hashes once and counts once (one {@code LongAdder} increment for {@link AuthCore#stats()}).
 * With keyed hashing ({@link SecretHashing#hmacSha256}) it also clones the key's two prepared
 * SHA-256 states (two digest objects and their buffers per verification), which is cheaper than the
 * JDK's {@code Mac} re-hashing the key pads. Token records (never secrets) and corp settings are
 * cached for the deployment's cache bound (30 s by default, measured on the deployment's clock),
 * which is also how stale another node's change can be here; changes made through this deployment's
 * issuer and console apply here at once. Unknown ids are remembered briefly so a flood of random
 * tokens does not reach the store.
 *
 * <p><b>Failures.</b> A cache miss that cannot reach the store throws {@link
 * StoreUnavailableException}: the request fails closed, after the store's own timeout, or at once
 * when the deployment's {@code maxConcurrentLoads} reads are already waiting for the store. Tokens
 * already cached keep verifying meanwhile without waiting for the store, within the cache bound
 * and, while the store cannot be reached, the deployment's outage grace beyond it (see {@code
 * AuthCore.Builder.outageGrace}).
 *
 * <p><b>Protects against:</b> guessing (190-bit secrets), timing probes of id existence and of
 * secret bytes, status disclosure to non-holders, log injection through the user header. <b>Does
 * not protect against:</b> a token stolen together with its user's email, used from an allowed
 * address before it expires; use allow lists and expiry for that.
 *
 * <p>Thread-safe.
 */
public final class TokenVerifier {
  private final TokenFormat format;
  private final InstantSource clock;
  private final TokenCache cache;
  private final SecretCheck secrets;
  private final UsageRecorder usage;
  private final AuditPublisher audit;
  private final Counters counters;

  TokenVerifier(
      TokenFormat format,
      InstantSource clock,
      TokenCache cache,
      SecretCheck secrets,
      UsageRecorder usage,
      AuditPublisher audit,
      Counters counters) {
    this.format = format;
    this.clock = clock;
    this.cache = cache;
    this.secrets = secrets;
    this.usage = usage;
    this.audit = audit;
    this.counters = counters;
  }

  /**
   * Verifies a request.
   *
   * @param email the {@code x-api-user} header, or {@code null} if absent
   * @param token the {@code x-api-token} header, or {@code null} if absent
   * @param client the client's address (the socket peer, or what a {@code ClientAddressResolver}
   *     found behind trusted proxies); an IPv4-mapped IPv6 address counts as its IPv4 address
   * @throws NullPointerException if {@code client} is null, whatever the other arguments
   * @throws StoreUnavailableException if the token is not cached and the store cannot be reached
   */
  public Verification verify(@Nullable String email, @Nullable String token, InetAddress client) {
    Objects.requireNonNull(client, "client");
    // 1. Both present and well-formed, checksum valid: else MALFORMED, before any lookup or hash.
    if (email == null || token == null || !Emails.hasAcceptedLength(email)) {
      return reject(RejectionReason.MALFORMED, null, null, email, client);
    }
    Scratch scratch = Scratch.get();
    @Nullable TokenId id = format.parse(token, scratch);
    if (id == null) {
      return reject(RejectionReason.MALFORMED, null, null, email, client);
    }
    // The one clock read of a verification: cache freshness, expiry and last use all use it.
    long now = clock.millis();
    // Steps 2 to 5 may read the store; a verification that throws there is counted as failed.
    try {
      // 2. The id exists: else UNKNOWN. 3. The secret's hash matches, in constant time: else
      // INVALID. The id is looked up and the secret hashed whatever the lookup found; an unknown id
      // and a wrong secret then take the same path (see SecretCheck), so the work is the same
      // whether the id exists or not. During a rotation's grace period the previous secret matches
      // too.
      @Nullable TokenEntry found = cache.cachedToken(id, now, scratch);
      // Neither cached nor seen missing: the store decides, and its answer is cached either way.
      TokenEntry entry = found != null ? found : cache.loadUncached(id, now);
      boolean secretMatches = secrets.matches(entry, now, scratch);
      boolean previousSecret = scratch.matchedPrevious;
      // A missing id matches no secret; the class is tested second, for the compiler.
      if (!secretMatches || !(entry instanceof CachedToken cached)) {
        return rejectSecret(entry, id, email, client);
      }

      // 4. The token belongs to the named user: else INVALID, the same answer as a wrong secret.
      if (!Emails.same(email, cached.ownerEmail)) {
        return reject(RejectionReason.INVALID, id, cached.corp, email, client);
      }

      // 5. Policy, only now that the caller has shown the secret: EXPIRED, DISABLED,
      // IP_NOT_ALLOWED.
      CorpState corp;
      try {
        corp = cache.corpState(cached.corp, now, scratch);
      } catch (RuntimeException e) {
        counters.failedAtCorp(); // also counted as failed by the caller
        throw e;
      }
      if (ExpiryPolicy.isExpiredAt(
          corp.expiry.expiresAtMillis(cached.createdMillis, cached.ownExpiryMillis), now)) {
        return reject(RejectionReason.EXPIRED, id, cached.corp, email, client);
      }
      // Inactivity: the later of the stored last use and this node's unwritten one. The limit
      // includes TokenSettings.INACTIVITY_MARGIN, for uses still in other nodes' batches.
      if (corp.inactivityLimitMillis != Long.MAX_VALUE
          && now - Math.max(cached.storedLastUseMillis, cached.lastUsedMillis())
              >= corp.inactivityLimitMillis) {
        return reject(RejectionReason.EXPIRED, id, cached.corp, email, client);
      }
      // A grant with an end is compared with the same clock reading: no sweep needed.
      if (corp.restricted && !corp.permits(cached.ownerKey, now)) {
        return reject(RejectionReason.DISABLED, id, cached.corp, email, client);
      }
      // Both lists must let the client in: the corp's, then the token's own (one flag read when
      // the token has none). The event says which refused.
      if (!corp.allowedIps.allows(client)) {
        return rejectIp(AuditEvent.TokenRejected.CORP_LIST, id, cached.corp, email, client);
      }
      if (!cached.ownListAllows(client)) {
        return rejectIp(AuditEvent.TokenRejected.TOKEN_LIST, id, cached.corp, email, client);
      }
      // Report-only: a staged list decides nothing, but what it would refuse is counted.
      @Nullable IpAllowList staged = corp.staged;
      if (staged != null
          && !staged.allows(client)
          && usage.wouldBeBlocked(cached, corp.stagedSinceMillis, now, client)) {
        audit.wouldBeBlocked(cached, now, client, corp.stagedSinceMillis);
      }

      // Authenticated: note the use (written to the store in batches), and a new address.
      if (usage.record(cached, now, client)) {
        audit.usedFromNewAddress(cached, now, client);
      }
      if (previousSecret) {
        audit.previousSecretUsed(cached, now, client);
      }
      counters.authenticated(); // the one counter a hit updates
      return cached.authenticated;
    } catch (RuntimeException e) {
      counters.failed(); // the store failed or was not tried (maxConcurrentLoads): no answer
      throw e;
    }
  }

  /**
   * Verifies a request whose client address is the connection's peer address as text, as a
   * servlet's {@code getRemoteAddr()} or a server's peer address gives it: read by {@link
   * ClientAddresses#parsePeer}, which takes the forms Tomcat, Jetty, Undertow and Netty write (IPv6
   * in brackets or bare, a zone id, which is dropped) and nothing looser. An address that does not
   * parse is rejected {@link RejectionReason#MALFORMED}, never allowed, and the rejection's event
   * quotes it escaped. An address from a forwarding header is not a peer address: resolve it with
   * {@link dev.authcore.net.ClientAddressResolver} and call {@link #verify(String, String,
   * InetAddress)}.
   *
   * @param email the {@code x-api-user} header, or {@code null} if absent
   * @param token the {@code x-api-token} header, or {@code null} if absent
   * @param clientAddress the client's address as text
   * @throws NullPointerException if {@code clientAddress} is null, whatever the other arguments
   * @throws StoreUnavailableException if the token is not cached and the store cannot be reached
   * @see #verify(String, String, InetAddress)
   */
  public Verification verifyWithAddressText(
      @Nullable String email, @Nullable String token, String clientAddress) {
    Objects.requireNonNull(clientAddress, "clientAddress");
    InetAddress client;
    try {
      client = ClientAddresses.parsePeer(clientAddress);
    } catch (IllegalArgumentException e) {
      audit.rejectedAddress(email, clientAddress);
      counters.rejected(RejectionReason.MALFORMED);
      return Verification.Rejected.of(RejectionReason.MALFORMED);
    }
    return verify(email, token, client);
  }

  private Verification reject(
      RejectionReason reason,
      @Nullable TokenId id,
      @Nullable String corp,
      @Nullable String email,
      InetAddress client) {
    audit.rejected(reason, id, corp, email, client, null);
    counters.rejected(reason);
    return Verification.Rejected.of(reason);
  }

  /**
   * The one rejection of an unknown id and of a wrong secret: both reach it by the same branch, and
   * differ only in the reason and corp chosen here, from the entry's class.
   */
  private Verification rejectSecret(
      TokenEntry entry, TokenId id, String email, InetAddress client) {
    @Nullable CachedToken token = entry instanceof CachedToken known ? known : null;
    return reject(
        token == null ? RejectionReason.UNKNOWN : RejectionReason.INVALID,
        id,
        token == null ? null : token.corp,
        email,
        client);
  }

  private Verification rejectIp(
      String list, TokenId id, String corp, String email, InetAddress client) {
    audit.rejected(RejectionReason.IP_NOT_ALLOWED, id, corp, email, client, list);
    counters.rejected(RejectionReason.IP_NOT_ALLOWED);
    return Verification.Rejected.of(RejectionReason.IP_NOT_ALLOWED);
  }
}
