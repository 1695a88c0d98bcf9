/**
 * A {@link dev.authcore.spi.TokenStore} on PostgreSQL 14 or later, shared by many gateway nodes:
 * {@link dev.authcore.store.jdbc.PostgresTokenStore}, its schema ({@link
 * dev.authcore.store.jdbc.PostgresSchema}) and the optional hook that lets it hear {@code
 * LISTEN/NOTIFY} ({@link dev.authcore.store.jdbc.NotificationWaiter}).
 *
 * <p>The code uses {@code java.sql} and {@code javax.sql} only: the PostgreSQL driver is the
 * application's runtime dependency, never auth-core's.
 */
@NullMarked
package dev.authcore.store.jdbc;

import org.jspecify.annotations.NullMarked;
