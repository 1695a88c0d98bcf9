package dev.authcore.store;

import dev.authcore.spi.TokenStore;
import dev.authcore.testkit.contract.TokenStoreContract;

/** The in-memory store meets the store contract (extended from another package, as users do). */
class InMemoryTokenStoreContractTest extends TokenStoreContract {
  @Override
  protected TokenStore newStore() {
    return new InMemoryTokenStore();
  }
}
