package dev.authcore;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The expiry-notice sweep of one deployment: walks every token of the store, corp by corp and page
 * by page, judges each one's effective expiry under its corp's settings in force, and for each
 * token with a notice due records it in the store and publishes its event if the store took the
 * record (see {@link AuthCore#sweepExpiryNotices()} for the rules); then publishes the ends of
 * permission grants that the store lets it claim.
 *
 * <p>Reads the store directly, never the verifier's caches, so it neither slows requests nor
 * changes what the caches hold. Remembers, in a bounded map, the latest notice the store holds for
 * each token it has seen, so a token whose notice is already recorded (an expired token kept for
 * months) costs no store write on every sweep; the store stays the one that decides, and a
 * restarted node asks it again once per token.
 *
 * <p>Thread-safe: sweeps on one node run one at a time; sweeps on several nodes may overlap, and
 * the store's conditional record lets exactly one of them send each notice.
 */
final class ExpiryNotices {
  /** Corps read per store call. */
  static final int CORP_PAGE = 100;

  /** Ended grants claimed per store call. */
  static final int GRANT_PAGE = 100;

  /** Tokens read per store call. */
  static final int TOKEN_PAGE = 500;

  private final TokenStore store;
  private final InstantSource clock;
  private final AuditPublisher audit;

  /** Token to the latest notice the store is known to hold for it. */
  private final Cache<TokenId, ExpiryNotice> recorded;

  ExpiryNotices(TokenStore store, InstantSource clock, AuditPublisher audit, long maxRemembered) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
    this.recorded = Caffeine.newBuilder().maximumSize(maxRemembered).build();
  }

  /** One sweep at the clock's instant now. */
  synchronized ExpirySweep sweep() {
    Instant now = Instant.ofEpochMilli(clock.millis());
    Counts counts = new Counts();
    @Nullable String after = null;
    while (true) {
      List<String> corps = store.corpsWithTokens(after, CORP_PAGE);
      for (String corp : corps) {
        sweepCorp(corp, now, counts);
      }
      if (corps.size() < CORP_PAGE) {
        break;
      }
      after = corps.get(corps.size() - 1);
    }
    long permissionEnds = publishGrantEnds(now);
    return new ExpirySweep(
        now,
        counts.corps,
        counts.tokens,
        counts.sevenDays,
        counts.oneDay,
        counts.expired,
        permissionEnds);
  }

  /**
   * Publishes {@link AuditEvent.PermissionExpired} for every grant whose end has passed at {@code
   * now} and that the store lets this sweep claim: each end once, across nodes.
   */
  private long publishGrantEnds(Instant now) {
    long published = 0;
    while (true) {
      List<EndedGrant> ended = store.claimEndedGrants(now, GRANT_PAGE);
      for (EndedGrant grant : ended) {
        audit.permissionExpired(now, grant);
        published++;
      }
      if (ended.size() < GRANT_PAGE) {
        return published;
      }
    }
  }

  private void sweepCorp(String corp, Instant now, Counts counts) {
    counts.corps++;
    // Read once per corp, before its tokens: a change made during the sweep applies to the next.
    TokenSettings settings = store.settings(corp);
    @Nullable Set<String> permitted =
        settings.restricted() ? PermissionGrant.holdersAt(store.permissionGrants(corp), now) : null;
    @Nullable ListPosition position = null;
    while (true) {
      List<TokenRecord> page = store.listCorp(corp, null, position, TOKEN_PAGE);
      for (TokenRecord token : page) {
        counts.tokens++;
        if (permitted != null && !permitted.contains(token.ownerKey())) {
          continue; // disabled by an owner: no notice while it is
        }
        @Nullable Instant expires =
            settings.expiresAt(token.created(), token.expiresAt(), token.lastUsed());
        @Nullable ExpiryNotice due = ExpiryNotice.latestDue(expires, now);
        if (expires == null || due == null) {
          continue;
        }
        @Nullable ExpiryNotice known = recorded.getIfPresent(token.id());
        if (known != null && known.compareTo(due) >= 0) {
          continue; // this notice, or a later one, is recorded already
        }
        if (store.recordNotice(token.id(), due)) {
          publish(token, due, expires, now);
          counts.count(due);
        }
        // Taken or refused, the store now holds this notice or a later one (or the token is gone).
        recorded.put(token.id(), due);
      }
      if (page.size() < TOKEN_PAGE) {
        return;
      }
      position = ListPosition.of(page.get(page.size() - 1));
    }
  }

  private void publish(TokenRecord token, ExpiryNotice notice, Instant expires, Instant now) {
    if (notice == ExpiryNotice.EXPIRED) {
      audit.tokenExpired(now, token, expires);
    } else {
      audit.tokenExpiringSoon(now, token, expires, notice.before());
    }
  }

  private static final class Counts {
    long corps;
    long tokens;
    long sevenDays;
    long oneDay;
    long expired;

    void count(ExpiryNotice notice) {
      switch (notice) {
        case SEVEN_DAYS -> sevenDays++;
        case ONE_DAY -> oneDay++;
        case EXPIRED -> expired++;
      }
    }
  }
}
