package dev.authcore.testkit.gateway;

import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;

/**
 * The gateway's choice of token store: the one place where a store is picked from the options.
 * Today only the embedded in-memory store exists; the PostgreSQL store adds a {@code --jdbc-url}
 * option to {@link GatewayOptions} and a branch here.
 */
final class GatewayStores {
  private GatewayStores() {}

  /** The store the options ask for, and a description for the startup lines. */
  static TokenStore open(GatewayOptions options) {
    return new InMemoryTokenStore();
  }

  /** What {@link #open} picks, for the startup log. */
  static String describe(GatewayOptions options) {
    return "in-memory token store (nothing survives a restart)";
  }
}
