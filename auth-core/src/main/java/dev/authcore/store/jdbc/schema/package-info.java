/**
 * The SQL files of {@link dev.authcore.store.jdbc.PostgresSchema}, and nothing else: no classes.
 *
 * <p>The module opens this package (and only this one) so that a migration tool on the module path,
 * such as Flyway with {@code classpath:dev/authcore/store/jdbc/schema}, can read the files through
 * its class loader. The store's own package stays closed to reflection.
 */
@NullMarked
package dev.authcore.store.jdbc.schema;

import org.jspecify.annotations.NullMarked;
