package dev.authcore.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A permission grant whose end has passed, as {@link TokenStore#claimEndedGrants} hands it to the
 * one caller that publishes its end.
 *
 * @param corp the corp of the grant
 * @param email the user's lookup key (the ASCII lower-cased email)
 * @param until the end of the grant
 */
public record EndedGrant(String corp, String email, Instant until) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if an argument is null
   */
  public EndedGrant {
    Objects.requireNonNull(corp, "corp");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(until, "until");
  }
}
