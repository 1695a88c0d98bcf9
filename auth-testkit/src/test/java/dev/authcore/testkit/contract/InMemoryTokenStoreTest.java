package dev.authcore.testkit.contract;

import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;

/** The in-memory store meets the store contract. */
class InMemoryTokenStoreTest extends TokenStoreContract {
  @Override
  protected TokenStore newStore() {
    return new InMemoryTokenStore();
  }
}
