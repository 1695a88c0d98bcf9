/**
 * auth-core: personal API access tokens for Java API gateways.
 *
 * <p>Exports only the API packages. Everything else (hashing, caches, matching structures) is
 * package-private inside them.
 */
module dev.authcore {
  requires transitive org.jspecify;
  requires com.google.common;
  requires com.github.benmanes.caffeine;
  requires inet.ipaddr;
  requires static org.bouncycastle.provider; // keyed hashing only: see SecretHashing
  requires static com.google.errorprone.annotations;
  requires static com.fasterxml.jackson.annotation; // JSON hints on public values only
  requires static org.postgresql.jdbc; // NotificationWaiter.pgjdbc() only
  requires java.sql;

  exports dev.authcore;
  exports dev.authcore.console;
  exports dev.authcore.model;
  exports dev.authcore.net;
  exports dev.authcore.policy;
  exports dev.authcore.spi;
  exports dev.authcore.store;
  exports dev.authcore.store.jdbc;

  // The schema's SQL files, for migration tools that read them through a class loader.
  opens dev.authcore.store.jdbc.schema;
}
