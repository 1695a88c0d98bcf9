/**
 * What a storage back end implements ({@link dev.authcore.spi.TokenStore}, {@link
 * dev.authcore.spi.UserDirectory}) and the plain values that cross that boundary.
 *
 * <p>Every store must pass the contract suite in auth-testkit. Stores see hashes only, never a
 * token's secret.
 */
@NullMarked
package dev.authcore.spi;

import org.jspecify.annotations.NullMarked;
