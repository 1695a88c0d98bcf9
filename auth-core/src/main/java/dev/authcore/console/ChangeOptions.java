package dev.authcore.console;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * How a change of a corp's token settings or permissions is to be made: where the acting owner is
 * connected from, and whether they confirmed a change that could lock the corp out. Immutable;
 * start with {@link #guarded()}.
 *
 * <p>One value rather than more parameters: a gateway builds it once per request, from the
 * request's client address and its confirmation, and passes the same value to {@link
 * TokenConsole#updateSettings(String, dev.authcore.policy.TokenSettings, ChangeOptions)} and {@link
 * TokenConsole#setPermission(String, String, boolean, ChangeOptions)}; and a named method reads
 * better at a call site than a bare {@code true}. The forms of those methods without options behave
 * as with {@link #guarded()}: a lock-out is refused unless confirmed here, never by default.
 *
 * @param actorAddress the address the acting owner is connected from, or {@code null} if unknown
 *     (then a new allow list is not checked against it); only settings changes use it
 * @param lockoutConfirmed whether the owner confirmed a change that could lock the corp out, having
 *     seen the warnings of {@link dev.authcore.model.LockoutException}
 */
public record ChangeOptions(@Nullable InetAddress actorAddress, boolean lockoutConfirmed) {
  private static final ChangeOptions GUARDED = new ChangeOptions(null, false);

  /** No known address; a change that could lock the corp out is refused. */
  public static ChangeOptions guarded() {
    return GUARDED;
  }

  /** These options with the acting owner's address, or none for {@code null}. */
  public ChangeOptions withActorAddress(@Nullable InetAddress actorAddress) {
    return new ChangeOptions(actorAddress, lockoutConfirmed);
  }

  /**
   * These options confirming a lock-out, or not: a confirmed change is made even if it leaves no
   * owner able to use a token or refuses the acting owner's own requests.
   */
  public ChangeOptions withLockoutConfirmed(boolean confirmed) {
    return new ChangeOptions(actorAddress, confirmed);
  }
}
