package dev.authcore;

import dev.authcore.internal.Inactivity;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A corp's settings and permitted users, as the request path reads them from the cache. */
final class CorpState extends CacheEntry {
  final TokenSettings settings;
  final ExpiryPolicy expiry;
  final boolean restricted;
  final IpAllowList allowedIps;

  /**
   * Days of inactivity plus {@link TokenSettings#INACTIVITY_MARGIN} in milliseconds, or {@code
   * Long.MAX_VALUE} for no inactivity expiry.
   */
  final long inactivityLimitMillis;

  /** The allow list staged in report-only mode, or {@code null} when none is. */
  final @Nullable IpAllowList staged;

  /** When the staged list was staged, in epoch milliseconds; 0 when none is. */
  final long stagedSinceMillis;

  /**
   * Owner keys (ASCII lower-cased emails) with a stored grant of the token permission, to the end
   * of the grant in epoch milliseconds ({@code Long.MAX_VALUE} for none). Ended grants stay in the
   * map: the end is compared with the clock at each check, so a grant ends on time whether or not
   * this entry is reloaded.
   */
  private final Map<String, Long> permittedUntil;

  CorpState(TokenSettings settings, List<PermissionGrant> grants, long loadedMillis) {
    super(loadedMillis);
    this.settings = settings;
    this.expiry = settings.expiry();
    this.restricted = settings.restricted();
    this.allowedIps = settings.allowedIps();
    this.inactivityLimitMillis = Inactivity.limitMillis(settings.inactiveDays());
    @Nullable StagedAllowList stagedList = settings.staged();
    this.staged = stagedList == null ? null : stagedList.allowedIps();
    this.stagedSinceMillis = stagedList == null ? 0 : stagedList.since().toEpochMilli();
    Map<String, Long> until = new HashMap<>();
    for (PermissionGrant grant : grants) {
      @Nullable Instant end = grant.until();
      until.put(grant.email(), end == null ? Long.MAX_VALUE : end.toEpochMilli());
    }
    this.permittedUntil = Map.copyOf(until);
  }

  /**
   * Whether the user with key {@code ownerKey} holds the token permission at {@code nowMillis}.
   * Allocates nothing: the request path calls it with the clock reading it already has.
   */
  boolean permits(String ownerKey, long nowMillis) {
    Long until = permittedUntil.get(ownerKey);
    // held while now < until: at the end instant the permission is gone
    return until != null && nowMillis < until;
  }
}
