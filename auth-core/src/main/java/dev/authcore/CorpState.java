package dev.authcore;

import dev.authcore.internal.Inactivity;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import java.util.Set;
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

  /** Owner keys (ASCII lower-cased emails) holding the token permission. */
  final Set<String> permitted;

  CorpState(TokenSettings settings, Set<String> permitted, long loadedMillis) {
    super(loadedMillis);
    this.settings = settings;
    this.expiry = settings.expiry();
    this.restricted = settings.restricted();
    this.allowedIps = settings.allowedIps();
    this.inactivityLimitMillis = Inactivity.limitMillis(settings.inactiveDays());
    @Nullable StagedAllowList stagedList = settings.staged();
    this.staged = stagedList == null ? null : stagedList.allowedIps();
    this.stagedSinceMillis = stagedList == null ? 0 : stagedList.since().toEpochMilli();
    this.permitted = Set.copyOf(permitted);
  }
}
