package dev.authcore.spi;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.model.TokenId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Use of one token seen since the last batch: when it was last used and the client addresses it was
 * used from, newest first.
 *
 * <p>A store merges an update into what it has with {@link #merge}: the later last-used instant
 * wins, and the recent addresses become this update's followed by the stored ones, without
 * duplicates, cut to {@link TokenRecord#MAX_RECENT_IPS}. Merging is commutative for last-used and
 * keeps the newest addresses first, so batches from several nodes can arrive in any order.
 *
 * @param id the token
 * @param lastUsed the latest successful verification in the batch
 * @param ips distinct client addresses in canonical text form, newest first, at most {@link
 *     TokenRecord#MAX_RECENT_IPS}
 */
public record UsageUpdate(TokenId id, Instant lastUsed, List<String> ips) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if there are more than {@link TokenRecord#MAX_RECENT_IPS} IPs
   */
  public UsageUpdate {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lastUsed, "lastUsed");
    checkArgument(
        ips.size() <= TokenRecord.MAX_RECENT_IPS,
        "at most %s IPs per update, got %s",
        TokenRecord.MAX_RECENT_IPS,
        ips.size());
    ips = List.copyOf(ips);
  }

  /** The later of two last-used instants. */
  public static Instant laterOf(@Nullable Instant stored, Instant update) {
    return stored == null || update.isAfter(stored) ? update : stored;
  }

  /** Recent addresses after merging {@code newest} in front of {@code stored}. */
  public static List<String> mergeIps(List<String> newest, List<String> stored) {
    return mergeIps(newest, stored, TokenRecord.MAX_RECENT_IPS);
  }

  /** {@code newest} followed by {@code stored}, without duplicates, at most {@code max}. */
  static List<String> mergeIps(List<String> newest, List<String> stored, int max) {
    LinkedHashSet<String> merged = new LinkedHashSet<>(newest);
    merged.addAll(stored);
    List<String> out = new ArrayList<>(max);
    for (String ip : merged) {
      if (out.size() == max) {
        break;
      }
      out.add(ip);
    }
    return List.copyOf(out);
  }

  /** {@code stored} with this update merged in. */
  public TokenRecord merge(TokenRecord stored) {
    return stored.withUsage(
        laterOf(stored.lastUsed(), lastUsed), mergeIps(ips, stored.recentIps()));
  }
}
