package dev.authcore.internal.wiring;

import dev.authcore.spi.TokenStore;
import java.time.InstantSource;
import java.util.Objects;

/**
 * What a console works with, handed over by the deployment it belongs to.
 *
 * @param store the deployment's store: read for listings, written for settings and permissions
 * @param actors resolves acting users
 * @param clock the deployment's clock
 * @param corpStates the cache to drop a corp's state from after changing it
 * @param audit where the console's events go
 */
public record ConsoleParts(
    TokenStore store,
    Actors actors,
    InstantSource clock,
    CorpStates corpStates,
    ConsoleAudit audit) {
  public ConsoleParts {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(actors, "actors");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(corpStates, "corpStates");
    Objects.requireNonNull(audit, "audit");
  }
}
