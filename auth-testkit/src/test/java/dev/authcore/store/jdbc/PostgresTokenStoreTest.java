package dev.authcore.store.jdbc;

import dev.authcore.spi.TokenStore;
import dev.authcore.testkit.contract.TokenStoreContract;

/**
 * {@link PostgresTokenStore} meets the whole store contract against a real PostgreSQL server. The
 * suite uses fresh names in every test, so all tests share one schema; each gets its own store
 * instance (with its change feed), closed afterwards. Two-node behaviour, faults and restarts are
 * in {@link PostgresTokenStoreNodesTest}, {@link TwoNodeTest} and {@link RestartTest}.
 */
class PostgresTokenStoreTest extends TokenStoreContract {
  private static final String SCHEMA = EmbeddedDatabase.newSchema("contract");

  @Override
  protected TokenStore newStore() {
    return PostgresTokenStore.builder(EmbeddedDatabase.nodeA())
        .schema(SCHEMA)
        .channel(SCHEMA)
        .build();
  }

  @Override
  protected void disposeStore(TokenStore store) {
    ((PostgresTokenStore) store).close();
  }
}
