package dev.authcore.testkit;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of a stateful test of auth-core, as drawn by {@link Operations#sequence}: something a
 * user does (issue, delete, rotate, change settings, grant), time passing, a request being verified
 * (with a token's current secret or an earlier one, from some client address), someone reporting
 * text where tokens leaked, the deployment sweeping for expiry notices, or an IP allow list being
 * set: a token's own, the corp's, or the corp's staged in report-only mode and then enforced.
 *
 * <p>Tokens are not known when a sequence is drawn, so operations on an existing token name it by a
 * {@code pick}: a non-negative number that the test reduces modulo the number of tokens issued so
 * far (deleted ones included, so deleting twice and verifying a deleted token happen too). Every
 * operation may be refused by the rules (a non-owner changing settings, a lifetime out of range, a
 * sixth token): predicting the refusal is the test's job. Immutable values.
 */
public sealed interface Operation
    permits Operation.Issue,
        Operation.Delete,
        Operation.Rotate,
        Operation.VerifyPrevious,
        Operation.SetExpiry,
        Operation.SetInactivity,
        Operation.SetRestricted,
        Operation.SetPermission,
        Operation.AdvanceClock,
        Operation.Verify,
        Operation.ReportLeak,
        Operation.SweepNotices,
        Operation.SetTokenAllowList,
        Operation.SetCorpAllowList,
        Operation.StageAllowList,
        Operation.EnforceStaged {

  /**
   * {@code actor} issues a token.
   *
   * @param name the name as typed, possibly taken (names repeat, in varying case, on purpose)
   * @param lifetimeDays the token's own lifetime in days, or {@code null} for none; sometimes out
   *     of range (0 or 3,651)
   */
  record Issue(String actor, String name, @Nullable Integer lifetimeDays) implements Operation {}

  /** {@code actor} deletes the picked token (possibly another user's, or one already deleted). */
  record Delete(String actor, int pick) implements Operation {}

  /**
   * {@code actor} rotates the picked token's secret ({@code TokenIssuer.rotate}), possibly another
   * user's or one already deleted.
   *
   * @param graceMinutes how long the previous secret keeps working, in minutes; sometimes out of
   *     range (negative, or beyond 10,080 minutes)
   */
  record Rotate(String actor, int pick, int graceMinutes) implements Operation {}

  /**
   * A request presents the picked token's owner and a secret the token had before: {@code back}
   * rotations before its current one (1: the previous secret, which works during its grace period;
   * 2: the one before, which never works again). The pick is reduced modulo the number of tokens
   * rotated at least {@code back} times so far (deleted ones included); with none, the step is
   * skipped.
   */
  record VerifyPrevious(int pick, int back) implements Operation {
    /**
     * @throws IllegalArgumentException if {@code back} is not 1 or 2
     */
    public VerifyPrevious {
      checkArgument(back == 1 || back == 2, "back must be 1 or 2, got %s", back);
    }
  }

  /**
   * {@code actor} sets the corp's expiry.
   *
   * @param days the maximum age in days, or {@code null} for never; sometimes out of range
   */
  record SetExpiry(String actor, @Nullable Integer days) implements Operation {}

  /**
   * {@code actor} sets the corp's inactivity expiry.
   *
   * @param days expire tokens unused for this many days, or {@code null} for none; sometimes out of
   *     range (6 or 366)
   */
  record SetInactivity(String actor, @Nullable Integer days) implements Operation {}

  /** {@code actor} switches the corp's restriction to permitted users on or off. */
  record SetRestricted(String actor, boolean restricted) implements Operation {}

  /**
   * {@code actor} grants ({@code allowed}) or revokes {@code user}'s token permission; a grant with
   * {@code endsAfter} ends that long after the deployment's clock at the grant.
   */
  record SetPermission(String actor, String user, boolean allowed, @Nullable Duration endsAfter)
      implements Operation {
    /** A grant without an end, or a revocation. */
    public SetPermission(String actor, String user, boolean allowed) {
      this(actor, user, allowed, null);
    }
  }

  /** Time passes. */
  record AdvanceClock(Duration by) implements Operation {}

  /**
   * A request presents the picked token.
   *
   * @param claimedUser the {@code x-api-user} sent, or {@code null} for the token's own owner
   * @param client the client's IP address, as text (an IPv4 or IPv6 literal)
   */
  record Verify(int pick, @Nullable String claimedUser, String client) implements Operation {}

  /**
   * Someone reports text where tokens leaked ({@code TokenIssuer.revokeLeaked}), holding some
   * issued tokens, some tokens with a wrong secret and some made up, amid other text.
   *
   * @param genuine picks of tokens whose plaintext the text holds (deleted ones too, and the same
   *     token more than once at times): each live one must be revoked
   * @param forged picks of tokens whose id the text holds with another secret: found, never revoked
   * @param unknown how many well-formed tokens of ids never issued the text holds, 0 or more
   * @param noise a seed for the rest of the text (words, other prefixes, malformed lookalikes) and
   *     for the forged and made-up secrets
   */
  record ReportLeak(List<Integer> genuine, List<Integer> forged, int unknown, long noise)
      implements Operation {
    /**
     * @throws IllegalArgumentException if a pick or {@code unknown} is negative
     */
    public ReportLeak {
      genuine = List.copyOf(genuine);
      forged = List.copyOf(forged);
      checkArgument(unknown >= 0, "unknown must not be negative, got %s", unknown);
      for (int pick : genuine) {
        checkArgument(pick >= 0, "picks must not be negative, got %s", pick);
      }
      for (int pick : forged) {
        checkArgument(pick >= 0, "picks must not be negative, got %s", pick);
      }
    }
  }

  /**
   * The deployment runs its expiry-notice sweep ({@code AuthCore.sweepExpiryNotices()}).
   *
   * @param restart whether a new deployment on the same store sweeps, as after a restart or on
   *     another node: it must send only what the first has not sent
   */
  record SweepNotices(boolean restart) implements Operation {}

  /**
   * {@code actor} gives the picked token its own IP allow list, replaces it, or removes it ({@code
   * TokenConsole.setAllowedIps}); possibly another user's token, or one already deleted.
   *
   * @param entries the list's entries, one per line of the text sent; none removes the list
   */
  record SetTokenAllowList(String actor, int pick, List<String> entries) implements Operation {
    /** Copies the entries. */
    public SetTokenAllowList {
      entries = List.copyOf(entries);
    }
  }

  /**
   * {@code actor} replaces the corp's IP allow list (confirming a lock-out).
   *
   * @param entries the list's entries, one per line; none means no restriction
   */
  record SetCorpAllowList(String actor, List<String> entries) implements Operation {
    /** Copies the entries. */
    public SetCorpAllowList {
      entries = List.copyOf(entries);
    }
  }

  /**
   * {@code actor} stages a corp allow list in report-only mode, or discards the one staged.
   *
   * @param entries the staged list's entries, one per line; none discards the staged list
   */
  record StageAllowList(String actor, List<String> entries) implements Operation {
    /** Copies the entries. */
    public StageAllowList {
      entries = List.copyOf(entries);
    }
  }

  /**
   * {@code actor} puts the corp's staged allow list in force ({@code TokenConsole.enforceStaged},
   * confirming a lock-out); possibly with none staged.
   */
  record EnforceStaged(String actor) implements Operation {}
}
