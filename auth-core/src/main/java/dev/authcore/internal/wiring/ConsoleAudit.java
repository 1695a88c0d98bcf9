package dev.authcore.internal.wiring;

import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The audit events a console publishes, as the deployment's audit publisher receives them: the
 * publisher builds each event and hands it to every listener (a listener that throws is logged and
 * skipped). Nothing else happens as a side effect of publishing.
 */
public interface ConsoleAudit {
  /** An owner replaced the corp's token settings. */
  void settingsChanged(
      Instant at, String corp, String actor, TokenSettings before, TokenSettings after);

  /** A token's own allow list was set, replaced or removed; {@code changed} is the record after. */
  void tokenAllowListChanged(Instant at, String actor, TokenRecord changed);

  /** An owner granted or revoked a user's token permission. */
  /**
   * An owner granted or revoked a user's token permission; {@code until} is the new grant's end, or
   * null.
   */
  void permissionChanged(
      Instant at,
      String corp,
      String actor,
      String user,
      boolean before,
      boolean after,
      @Nullable Instant until);
}
