package dev.authcore.policy;

import dev.authcore.model.InvalidInputException;
import dev.authcore.net.IpAllowList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A corp allow list staged in report-only mode: it decides nothing, but every request it would
 * refuse is counted per token and reported ({@code AuditEvent.WouldBeBlocked}), so an owner sees
 * what enforcing it would break before it does.
 *
 * <p>Requests keep being decided by the list in force (or none). Of the requests the list in force
 * and every other rule accept, each one this list would refuse is counted: those are exactly the
 * requests that enforcing it would newly refuse. Requests refused for another reason are not.
 *
 * <p>{@code since} marks the staging: the counts are kept against it, so staging another list
 * starts them afresh, and counts still on their way from other nodes for an earlier staging are
 * dropped. The owners' console sets it when it saves a staged list that differs from the one staged
 * before (an unchanged list keeps its instant, and its counts), always later than the instant of
 * the list it replaces. One case is not told apart: a list staged within the same millisecond as
 * the discarding or enforcing of an earlier one with that very instant counts on from the earlier
 * one's counts (the store keeps no record of a discarded staging to order the two).
 *
 * @param allowedIps the staged list; never empty (an empty list refuses nothing: stage none
 *     instead)
 * @param since when it was staged, whole milliseconds
 */
public record StagedAllowList(IpAllowList allowedIps, Instant since) {
  /**
   * Checks the fields.
   *
   * @throws InvalidInputException if the list is empty
   */
  public StagedAllowList {
    Objects.requireNonNull(allowedIps, "allowedIps");
    Objects.requireNonNull(since, "since");
    if (allowedIps.isEmpty()) {
      throw new InvalidInputException(
          "stagedAllowedIps",
          "a staged allow list needs at least one entry: an empty list would refuse nothing;"
              + " to discard the staged list, stage none");
    }
    since = since.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A one-line summary safe to log. */
  @Override
  public String toString() {
    return "StagedAllowList[" + allowedIps.size() + " entries since " + since + "]";
  }
}
