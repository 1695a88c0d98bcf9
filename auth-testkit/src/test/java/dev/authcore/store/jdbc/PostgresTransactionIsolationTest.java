package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Write transactions run at READ COMMITTED whatever the pool's default, give the connection back
 * its own level, and leave a connection already at READ COMMITTED alone: with pgjdbc every change
 * of isolation level is a round trip to the server, on every write.
 */
class PostgresTransactionIsolationTest {
  private static final String SCHEMA = EmbeddedDatabase.newSchema("isolation");

  /** Connections of node A, handed out at {@code level}, recording the isolation calls made. */
  private static final class RecordingDataSource extends ConnectionSource {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Integer> levelsAtClose = new CopyOnWriteArrayList<>();
    private final int level;

    RecordingDataSource(int level) {
      this.level = level;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection real = EmbeddedDatabase.nodeA().getConnection();
      real.setTransactionIsolation(level);
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                String name = method.getName();
                if (name.equals("setTransactionIsolation")) {
                  calls.add("set " + args[0]);
                } else if (name.equals("close")) {
                  levelsAtClose.add(real.getTransactionIsolation());
                  real.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }
                try {
                  return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  private static void insertOne(PostgresTokenStore store, long seed) {
    Random random = new Random(seed);
    byte[] hash = new byte[32];
    random.nextBytes(hash);
    TokenRecord token =
        TokenRecord.issued(
            TokenId.random(random),
            "corp-" + seed,
            "ann@example.com",
            "t",
            Instant.parse("2026-01-01T00:00:00Z"),
            null,
            SecretHash.of(SecretHash.Algorithm.SHA256, null, hash));
    assertThat(store.insert(token, 5)).isEqualTo(TokenStore.InsertOutcome.INSERTED);
  }

  @Test
  void readCommittedConnection_writtenWithoutTouchingItsIsolation() {
    PostgresSchema.migrate(EmbeddedDatabase.nodeA(), SCHEMA);
    RecordingDataSource pool = new RecordingDataSource(Connection.TRANSACTION_READ_COMMITTED);
    try (PostgresTokenStore store =
        PostgresTokenStore.builder(pool).schema(SCHEMA).channel(SCHEMA).build()) {
      insertOne(store, 1);
      insertOne(store, 2);
    }
    assertThat(pool.calls).isEmpty();
    assertThat(pool.levelsAtClose).isNotEmpty().containsOnly(Connection.TRANSACTION_READ_COMMITTED);
  }

  @Test
  void serializableConnection_writtenAtReadCommitted_thenGivenItsLevelBack() {
    PostgresSchema.migrate(EmbeddedDatabase.nodeA(), SCHEMA);
    RecordingDataSource pool = new RecordingDataSource(Connection.TRANSACTION_SERIALIZABLE);
    try (PostgresTokenStore store =
        PostgresTokenStore.builder(pool).schema(SCHEMA).channel(SCHEMA).build()) {
      insertOne(store, 3);
    }
    assertThat(pool.calls)
        .contains(
            "set " + Connection.TRANSACTION_READ_COMMITTED,
            "set " + Connection.TRANSACTION_SERIALIZABLE);
    assertThat(pool.levelsAtClose).isNotEmpty().containsOnly(Connection.TRANSACTION_SERIALIZABLE);
  }
}
