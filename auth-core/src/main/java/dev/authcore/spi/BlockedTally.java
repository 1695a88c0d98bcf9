package dev.authcore.spi;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.model.TokenId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Requests of one token that a corp's staged allow list ({@code policy.StagedAllowList}) would have
 * refused: as a node reports them since its last batch, or as a store keeps them in all.
 *
 * <p>A store merges a reported tally into what it has with {@link #merge}: against the same staging
 * the counts add up and the addresses become the report's followed by the stored ones, without
 * duplicates, cut to {@link #MAX_IPS}; a report for a later staging replaces what was kept for an
 * earlier one, and a report for an earlier staging than the kept one is dropped. Batches from
 * several nodes may therefore arrive in any order.
 *
 * @param id the token
 * @param since the staging the requests were counted against ({@code StagedAllowList.since}), whole
 *     milliseconds
 * @param count how many requests the staged list would have refused, at least 1
 * @param ips the addresses they came from, canonical text, newest first, distinct, at most {@link
 *     #MAX_IPS}
 */
public record BlockedTally(TokenId id, Instant since, long count, List<String> ips) {
  /** How many addresses a tally keeps. */
  public static final int MAX_IPS = 10;

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code count} is below 1, {@code since} has a fraction of a
   *     millisecond, or there are more than {@link #MAX_IPS} addresses
   */
  public BlockedTally {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(since, "since");
    checkArgument(count >= 1, "count must be at least 1, got %s", count);
    checkArgument(
        since.truncatedTo(ChronoUnit.MILLIS).equals(since),
        "since must be whole milliseconds: %s",
        since);
    checkArgument(
        ips.size() <= MAX_IPS, "at most %s addresses per tally, got %s", MAX_IPS, ips.size());
    ips = List.copyOf(ips);
  }

  /** {@code stored} (the same token's tally as kept, if any) with this report merged in. */
  public BlockedTally merge(@Nullable BlockedTally stored) {
    if (stored == null || stored.since.isBefore(since)) {
      return this;
    }
    if (stored.since.isAfter(since)) {
      return stored; // counted against a staging since replaced
    }
    return new BlockedTally(
        id,
        since,
        com.google.common.math.LongMath.saturatedAdd(stored.count, count),
        UsageUpdate.mergeIps(ips, stored.ips, MAX_IPS));
  }
}
