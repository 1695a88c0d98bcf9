package dev.authcore.console;

import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryCause;
import dev.authcore.policy.TokenStatus;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of a token listing, evaluated under the corp's settings at the moment of listing.
 *
 * @param id the token's public id
 * @param name its name
 * @param creator the email of the user who created (and owns) it
 * @param created when it was issued
 * @param expires when it expires under the current settings (maximum age, inactivity with its
 *     margin, its own expiry), or {@code null} for never
 * @param status {@code ACTIVE}, {@code EXPIRED} or {@code DISABLED} (disabled by owner)
 * @param lastUsed its last successful use as written to the store, or {@code null}; use recorded in
 *     memory reaches the store in batches, so this lags by up to the usage flush interval
 * @param ips the most recent distinct client addresses it was used from, newest first, at most 10
 * @param rotated when its secret was last rotated, or {@code null} if never
 * @param previousValidUntil until when the secret it had before its last rotation keeps working
 *     (exclusive), while that grace period runs at the moment of listing; {@code null} when none
 *     runs (never rotated, rotated without grace, or the grace period is over)
 * @param expiredBy why it is expired when {@code status} is {@code EXPIRED}, else {@code null}
 * @param allowedIps the token's own IP allow list as canonical text, or {@code ""} when it has none
 *     (then only the corp's list applies)
 * @param wouldBeBlocked in the owners' table while the corp has an allow list staged in report-only
 *     mode, the requests of this token it would have refused since it was staged; else {@code null}
 */
public record TokenRow(
    TokenId id,
    String name,
    String creator,
    Instant created,
    @Nullable Instant expires,
    TokenStatus status,
    @Nullable Instant lastUsed,
    List<String> ips,
    @Nullable Instant rotated,
    @Nullable Instant previousValidUntil,
    @Nullable ExpiryCause expiredBy,
    String allowedIps,
    @Nullable WouldBeBlocked wouldBeBlocked) {
  public TokenRow {
    ips = List.copyOf(ips);
    java.util.Objects.requireNonNull(allowedIps, "allowedIps");
  }

  /** A row without would-be-blocked counts: outside the owners' table, or with no list staged. */
  public TokenRow(
      TokenId id,
      String name,
      String creator,
      Instant created,
      @Nullable Instant expires,
      TokenStatus status,
      @Nullable Instant lastUsed,
      List<String> ips,
      @Nullable Instant rotated,
      @Nullable Instant previousValidUntil,
      @Nullable ExpiryCause expiredBy,
      String allowedIps) {
    this(
        id,
        name,
        creator,
        created,
        expires,
        status,
        lastUsed,
        ips,
        rotated,
        previousValidUntil,
        expiredBy,
        allowedIps,
        null);
  }

  /** A row of a token without its own allow list: {@code allowedIps} is {@code ""}. */
  public TokenRow(
      TokenId id,
      String name,
      String creator,
      Instant created,
      @Nullable Instant expires,
      TokenStatus status,
      @Nullable Instant lastUsed,
      List<String> ips,
      @Nullable Instant rotated,
      @Nullable Instant previousValidUntil,
      @Nullable ExpiryCause expiredBy) {
    this(
        id,
        name,
        creator,
        created,
        expires,
        status,
        lastUsed,
        ips,
        rotated,
        previousValidUntil,
        expiredBy,
        "",
        null);
  }

  /** Whether the token has its own IP allow list. */
  public boolean hasOwnAllowList() {
    return !allowedIps.isEmpty();
  }

  /** A row of a token never rotated: {@code rotated} and {@code previousValidUntil} are null. */
  public TokenRow(
      TokenId id,
      String name,
      String creator,
      Instant created,
      @Nullable Instant expires,
      TokenStatus status,
      @Nullable Instant lastUsed,
      List<String> ips) {
    this(id, name, creator, created, expires, status, lastUsed, ips, null, null, null, "", null);
  }

  /** A row without an expiry cause, for a token that is not expired. */
  public TokenRow(
      TokenId id,
      String name,
      String creator,
      Instant created,
      @Nullable Instant expires,
      TokenStatus status,
      @Nullable Instant lastUsed,
      List<String> ips,
      @Nullable Instant rotated,
      @Nullable Instant previousValidUntil) {
    this(
        id,
        name,
        creator,
        created,
        expires,
        status,
        lastUsed,
        ips,
        rotated,
        previousValidUntil,
        null,
        "",
        null);
  }
}
