/**
 * The vocabulary every part of auth-core shares: token ids ({@link dev.authcore.model.TokenId}),
 * users and their roles ({@link dev.authcore.model.UserAccount}, {@link dev.authcore.model.Role}),
 * and the failures a caller handles ({@link dev.authcore.model.AuthCoreException} and its
 * subclasses, each naming the HTTP status a gateway should answer).
 *
 * <p>This package depends on no other part of auth-core, so stores, directories and gateways can
 * all speak it.
 */
@NullMarked
package dev.authcore.model;

import org.jspecify.annotations.NullMarked;
