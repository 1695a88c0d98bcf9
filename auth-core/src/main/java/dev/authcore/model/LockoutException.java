package dev.authcore.model;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A change of a corp's token settings or permissions was refused because it could lock the corp
 * out, and the caller did not confirm it: no owner of the corp would be left able to use a token
 * (so nobody could undo the change with one), or a new allow list would refuse the acting owner's
 * own requests. Nothing changed. A gateway answers <b>HTTP 409</b>, as for every {@link
 * ConflictException}, shows {@link #warnings()} to the owner, and lets them send the change again
 * confirmed.
 *
 * <p>The message and the warnings name corps, users and addresses, never a secret.
 */
public final class LockoutException extends ConflictException {
  private static final long serialVersionUID = 1L;

  private final ImmutableList<String> warnings;

  /**
   * @param message what the change would lock out, and how to make it anyway; never a secret
   * @param warnings plain sentences for the owner, the same a preview of the change gives; at least
   *     one
   * @throws IllegalArgumentException if {@code warnings} is empty
   */
  public LockoutException(String message, List<String> warnings) {
    super(Kind.LOCKOUT, message);
    this.warnings = ImmutableList.copyOf(warnings);
    if (this.warnings.isEmpty()) {
      throw new IllegalArgumentException("a lock-out refusal needs at least one warning");
    }
  }

  /**
   * What the owner should know before confirming, as plain sentences: why the change was refused
   * first, then whatever else a preview of it warns about. Never empty; unmodifiable.
   */
  public List<String> warnings() {
    return warnings;
  }
}
