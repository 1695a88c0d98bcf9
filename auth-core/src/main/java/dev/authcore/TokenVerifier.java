package dev.authcore;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.net.ClientAddresses;
import dev.authcore.policy.ExpiryPolicy;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * Checks a request's {@code x-api-user} and {@code x-api-token} against the store: the per-request
 * path.
 *
 * <p>Checks run in this order, and the first that fails decides the {@link RejectionReason}:
 *
 * <ol>
 *   <li>user and token present, token in this deployment's format, checksum valid ({@code
 *       MALFORMED}; no lookup, no hashing);
 *   <li>the id exists ({@code UNKNOWN}); an unknown id is hashed and compared like a known one, so
 *       timing does not tell which ids exist;
 *   <li>the secret's hash matches, compared in constant time ({@code INVALID});
 *   <li>the token belongs to the named user, ignoring ASCII case ({@code INVALID}: a caller learns
 *       nothing more than from a wrong secret);
 *   <li>policy, only now: {@code EXPIRED}, {@code DISABLED}, {@code IP_NOT_ALLOWED}.
 * </ol>
 *
 * <p><b>Cost.</b> On a cache hit a verification allocates only the parsed id, takes no lock, logs
 * nothing, reads the clock once and hashes once. Token records (never secrets) and corp settings
 * are cached for the deployment's cache bound (30 s by default, measured on the deployment's
 * clock), which is also how stale another node's change can be here; changes made through this
 * {@link AuthCore} apply here at once. Unknown ids are remembered briefly so a flood of random
 * tokens does not reach the store.
 *
 * <p><b>Failures.</b> A cache miss that cannot reach the store throws {@link
 * StoreUnavailableException}: the request fails closed. Tokens already cached keep verifying
 * meanwhile, within the cache bound.
 *
 * <p><b>Protects against:</b> guessing (190-bit secrets), timing probes of id existence and of
 * secret bytes, status disclosure to non-holders, log injection through the user header. <b>Does
 * not protect against:</b> a token stolen together with its user's email, used from an allowed
 * address before it expires; use allow lists and expiry for that.
 *
 * <p>Thread-safe.
 */
public final class TokenVerifier {
  private final AuthCore core;

  TokenVerifier(AuthCore core) {
    this.core = core;
  }

  /**
   * Verifies a request.
   *
   * @param email the {@code x-api-user} header, or {@code null} if absent
   * @param token the {@code x-api-token} header, or {@code null} if absent
   * @param client the client's address (the socket peer, or what a {@code ClientAddressResolver}
   *     found behind trusted proxies); an IPv4-mapped IPv6 address counts as its IPv4 address
   * @throws StoreUnavailableException if the token is not cached and the store cannot be reached
   */
  public Verification verify(@Nullable String email, @Nullable String token, InetAddress client) {
    if (email == null || token == null || email.isEmpty() || email.length() > 320) {
      return reject(RejectionReason.MALFORMED, null, null, email, client);
    }
    Scratch scratch = Scratch.get();
    TokenFormat format = core.format;
    @Nullable TokenId id = format.parse(token, scratch);
    if (id == null) {
      return reject(RejectionReason.MALFORMED, null, null, email, client);
    }
    // The one clock read of a verification: cache freshness, expiry and last use all use it.
    long now = core.clock.millis();
    @Nullable CachedToken cached = core.lookup(id, now, scratch);
    // An unknown id is hashed and compared against a decoy like a known one.
    boolean secretMatches =
        SecretHasher.matches(
            scratch,
            format.secretStart(),
            TokenFormat.SECRET_LENGTH,
            cached == null ? core.hasher.current() : cached.key,
            cached == null ? core.decoyHash : cached.hash);
    if (cached == null) {
      return reject(RejectionReason.UNKNOWN, id, null, email, client);
    }
    if (!secretMatches || !dev.authcore.internal.Emails.same(email, cached.ownerEmail)) {
      return reject(RejectionReason.INVALID, id, cached.corp, email, client);
    }
    CorpState corp = core.corpState(cached.corp, now, scratch);
    ExpiryPolicy expiry = corp.expiry;
    if (ExpiryPolicy.isExpiredAt(
        expiry.expiresAtMillis(cached.createdMillis, cached.ownExpiryMillis), now)) {
      return reject(RejectionReason.EXPIRED, id, cached.corp, email, client);
    }
    if (corp.restricted && !corp.permitted.contains(cached.ownerKey)) {
      return reject(RejectionReason.DISABLED, id, cached.corp, email, client);
    }
    if (!corp.allowedIps.allows(client)) {
      return reject(RejectionReason.IP_NOT_ALLOWED, id, cached.corp, email, client);
    }
    if (core.usage.record(cached, now, client)) {
      core.usedFromNewAddress(cached, now, client);
    }
    return cached.authenticated;
  }

  /**
   * Verifies a request whose client address is text, parsed as strictly as an allow list: a
   * malformed address is rejected {@link RejectionReason#MALFORMED}, never allowed.
   *
   * @see #verify(String, String, InetAddress)
   */
  public Verification verify(
      @Nullable String email, @Nullable String token, @Nullable String clientAddress) {
    InetAddress client;
    try {
      client = ClientAddresses.parse(clientAddress == null ? "" : clientAddress);
    } catch (IllegalArgumentException e) {
      core.publishRejection(
          RejectionReason.MALFORMED,
          null,
          null,
          email,
          null,
          clientAddress == null ? "missing" : "malformed: " + core.requestText(clientAddress));
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
    core.publishRejection(reason, id, corp, email, client, null);
    return Verification.Rejected.of(reason);
  }
}
