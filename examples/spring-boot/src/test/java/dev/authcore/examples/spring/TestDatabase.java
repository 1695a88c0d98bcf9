package dev.authcore.examples.spring;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Embedded PostgreSQL servers (real PostgreSQL binaries, about 3 s to start): one shared by the
 * test classes that leave it running, and fresh ones for a test that stops its own.
 */
final class TestDatabase {
  private TestDatabase() {}

  private static final class Shared {
    static final EmbeddedPostgres SERVER = start();
  }

  /** The server shared by the test classes that leave it running. */
  static EmbeddedPostgres shared() {
    return Shared.SERVER;
  }

  /** A new server of the caller's own, to stop when it likes. */
  static EmbeddedPostgres start() {
    try {
      return EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** Points Boot's {@code spring.datasource} at {@code server}. */
  static void register(DynamicPropertyRegistry registry, EmbeddedPostgres server) {
    registry.add("spring.datasource.url", () -> server.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
  }
}
