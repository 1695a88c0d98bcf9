/**
 * Contract suites: abstract JUnit 5 test classes that a storage back end extends to prove it meets
 * the SPI's promises ({@link dev.authcore.testkit.contract.TokenStoreContract}, {@link
 * dev.authcore.testkit.contract.UserDirectoryContract}).
 *
 * <pre>{@code
 * class PostgresTokenStoreTest extends TokenStoreContract {
 *   @Override
 *   protected TokenStore newStore() {
 *     return new PostgresTokenStore(dataSource);
 *   }
 * }
 * }</pre>
 *
 * <p>The suites use fresh corp and user names in every test, so a store may be shared by the tests
 * of a class (one database schema) as long as {@code newStore()} returns a working store each time.
 */
@NullMarked
package dev.authcore.testkit.contract;

import org.jspecify.annotations.NullMarked;
