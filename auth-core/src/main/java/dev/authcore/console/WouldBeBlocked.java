package dev.authcore.console;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * What the corp's staged allow list would have refused of one token's requests since it was staged
 * ({@link dev.authcore.policy.StagedAllowList}), across every node that has written its counts
 * (nodes write them with the token usage, so they lag by up to the usage flush interval).
 *
 * @param count the requests it would have refused, 0 or more
 * @param ips the addresses they came from, newest first, distinct, at most 10
 */
public record WouldBeBlocked(long count, List<String> ips) {
  private static final WouldBeBlocked NONE = new WouldBeBlocked(0, List.of());

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code count} is negative or there are more than 10
   *     addresses
   */
  public WouldBeBlocked {
    checkArgument(count >= 0, "count must not be negative, got %s", count);
    checkArgument(ips.size() <= 10, "at most 10 addresses, got %s", ips.size());
    ips = List.copyOf(ips);
  }

  /** Nothing refused. */
  public static WouldBeBlocked none() {
    return NONE;
  }
}
