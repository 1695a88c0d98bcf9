package dev.authcore.policy;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.math.LongMath;
import com.google.errorprone.annotations.Immutable;
import dev.authcore.internal.Instants;
import dev.authcore.model.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A corp's token expiry: never (the default), or a maximum age counted from each token's creation.
 *
 * <p>Expiry is <b>computed, never stored</b>: a token is expired when {@code now >= created +
 * maxAge} under the policy in force at the moment of the check. Setting a 30-day policy expires a
 * 60-day-old token at once; raising it to 90 days brings the token back. A token's own expiry, set
 * at issue, also applies: the earlier of the two wins.
 *
 * <p>The maximum age is one of the {@linkplain #PRESET_DAYS presets} or a custom number of whole
 * days from 1 to 3,650: whole days, so that a policy reads back exactly wherever it is shown in
 * days (consoles, JSON) and a read-modify-write never changes it. Arithmetic saturates, so extreme
 * instants never overflow: an expiry beyond the representable range means "never", and any instant
 * at or after {@link Instant#MAX} counts as expired for a finite policy (fail closed).
 *
 * <p>Immutable, thread-safe, compared by value.
 *
 * <p>As JSON (Jackson 3 with its defaults, through the optional Jackson annotations) a policy is
 * {@code {"maxAgeDays":30}}, or {@code {"maxAgeDays":null}} for {@link #never()}: whole days, as
 * consoles show it. It is written, not read: build one with {@link #days(long)} or {@link
 * #never()}. Jackson 2 needs its {@code Jdk8Module} for the optional value.
 */
@JsonAutoDetect(
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE,
    fieldVisibility = JsonAutoDetect.Visibility.NONE)
@Immutable
public final class ExpiryPolicy {
  /** The preset maximum ages, in days, that consoles offer. */
  public static final List<Integer> PRESET_DAYS = List.of(30, 60, 90, 180, 365);

  /** Shortest custom maximum age. */
  public static final Duration MIN_AGE = Duration.ofDays(1);

  /** Longest custom maximum age. */
  public static final Duration MAX_AGE = Duration.ofDays(3650);

  private static final ExpiryPolicy NEVER = new ExpiryPolicy(Long.MAX_VALUE);

  /** Maximum age in milliseconds; {@code Long.MAX_VALUE} means never. */
  private final long maxAgeMillis;

  private ExpiryPolicy(long maxAgeMillis) {
    this.maxAgeMillis = maxAgeMillis;
  }

  /** Tokens never expire by age (they may still have their own expiry). */
  public static ExpiryPolicy never() {
    return NEVER;
  }

  /**
   * Tokens expire {@code maxAge} after their creation.
   *
   * @throws InvalidInputException if {@code maxAge} is shorter than {@link #MIN_AGE}, longer than
   *     {@link #MAX_AGE}, or not a whole number of days
   */
  public static ExpiryPolicy after(Duration maxAge) {
    checkAge(maxAge, "expiry maximum age");
    if (maxAge.toMillis() % DAY_MILLIS != 0) {
      throw new InvalidInputException(
          "expiry", "expiry maximum age must be a whole number of days, got " + maxAge);
    }
    return new ExpiryPolicy(maxAge.toMillis());
  }

  /**
   * Tokens expire {@code days} days after their creation.
   *
   * @throws InvalidInputException if {@code days} is not between 1 and 3,650
   */
  public static ExpiryPolicy days(long days) {
    if (days < MIN_AGE.toDays() || days > MAX_AGE.toDays()) {
      throw new InvalidInputException(
          "expiry",
          "expiry must be between "
              + MIN_AGE.toDays()
              + " and "
              + MAX_AGE.toDays()
              + " days (presets: "
              + PRESET_DAYS
              + "), got "
              + days);
    }
    return new ExpiryPolicy(Duration.ofDays(days).toMillis());
  }

  /**
   * Checks a token or policy lifetime: from {@link #MIN_AGE} to {@link #MAX_AGE}, whole
   * milliseconds.
   *
   * @param what names the value in the message, e.g. "token lifetime"
   * @throws InvalidInputException if it is out of range
   */
  public static void checkAge(Duration age, String what) {
    java.util.Objects.requireNonNull(what, "what");
    if (age.compareTo(MIN_AGE) < 0 || age.compareTo(MAX_AGE) > 0) {
      throw new InvalidInputException(
          what, what + " must be between 1 day and 3650 days, got " + age);
    }
    if (age.toNanosPart() % 1_000_000 != 0) {
      throw new InvalidInputException(what, what + " must be whole milliseconds, got " + age);
    }
  }

  /** Whether tokens never expire by age under this policy. */
  public boolean isNever() {
    return maxAgeMillis == Long.MAX_VALUE;
  }

  /** The maximum age, or empty for {@link #never()}. */
  public Optional<Duration> maxAge() {
    return isNever() ? Optional.empty() : Optional.of(Duration.ofMillis(maxAgeMillis));
  }

  /** The maximum age in days (always whole), or empty for {@link #never()}. */
  @JsonProperty("maxAgeDays")
  public Optional<Long> maxAgeDays() {
    return maxAge().map(Duration::toDays);
  }

  /**
   * When a token created at {@code createdMillis} expires under this policy and its own expiry, in
   * epoch milliseconds; {@code Long.MAX_VALUE} for never.
   *
   * @param ownExpiryMillis the token's own expiry, or {@code Long.MAX_VALUE} for none
   */
  public long expiresAtMillis(long createdMillis, long ownExpiryMillis) {
    // Saturated below Long.MAX_VALUE, which means "never": an expiry past the long range is still
    // an expiry.
    long byAge =
        isNever()
            ? Long.MAX_VALUE
            : Math.min(LongMath.saturatedAdd(createdMillis, maxAgeMillis), Long.MAX_VALUE - 1);
    return Math.min(byAge, ownExpiryMillis);
  }

  /**
   * When a token expires under this policy and its own expiry, or {@code null} for never.
   *
   * @param ownExpiry the token's own expiry, or {@code null}
   */
  public @Nullable Instant expiresAt(Instant created, @Nullable Instant ownExpiry) {
    long at =
        expiresAtMillis(
            toMillis(created), ownExpiry == null ? Long.MAX_VALUE : toMillis(ownExpiry));
    return at == Long.MAX_VALUE ? null : Instant.ofEpochMilli(at);
  }

  /** Whether a token is expired at {@code now}: {@code now >= expiry} (equal means expired). */
  public boolean isExpired(Instant created, @Nullable Instant ownExpiry, Instant now) {
    long at =
        expiresAtMillis(
            toMillis(created), ownExpiry == null ? Long.MAX_VALUE : toMillis(ownExpiry));
    return isExpiredAt(at, toMillis(now));
  }

  /** {@code nowMillis >= expiresAtMillis}, where {@code Long.MAX_VALUE} means never. */
  public static boolean isExpiredAt(long expiresAtMillis, long nowMillis) {
    // expires at created + maxAge: equal means expired; "never" cannot be reached.
    return expiresAtMillis != Long.MAX_VALUE && nowMillis >= expiresAtMillis;
  }

  private static long toMillis(Instant instant) {
    return Instants.saturatedEpochMillis(instant);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ExpiryPolicy other && other.maxAgeMillis == maxAgeMillis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(maxAgeMillis);
  }

  /** {@code ExpiryPolicy[never]}, {@code ExpiryPolicy[P30D]} or another ISO-8601 duration. */
  @Override
  public String toString() {
    if (isNever()) {
      return "ExpiryPolicy[never]";
    }
    Duration age = Duration.ofMillis(maxAgeMillis);
    return "ExpiryPolicy["
        + (age.toMillis() % DAY_MILLIS == 0 ? "P" + age.toDays() + "D" : age)
        + "]";
  }

  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
}
