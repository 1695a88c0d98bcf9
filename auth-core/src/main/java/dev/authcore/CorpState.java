package dev.authcore;

import dev.authcore.internal.Inactivity;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import java.util.Set;

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

  /** Owner keys (ASCII lower-cased emails) holding the token permission. */
  final Set<String> permitted;

  CorpState(TokenSettings settings, Set<String> permitted, long loadedMillis) {
    super(loadedMillis);
    this.settings = settings;
    this.expiry = settings.expiry();
    this.restricted = settings.restricted();
    this.allowedIps = settings.allowedIps();
    this.inactivityLimitMillis = Inactivity.limitMillis(settings.inactiveDays());
    this.permitted = Set.copyOf(permitted);
  }
}
