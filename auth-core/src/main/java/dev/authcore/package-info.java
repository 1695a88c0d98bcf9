/**
 * Issuing and verifying personal API access tokens: the API a gateway uses on every request.
 *
 * <p>Start with {@link dev.authcore.AuthCore#builder()}; it gives a {@link
 * dev.authcore.TokenIssuer} (create and delete tokens) and a {@link dev.authcore.TokenVerifier}
 * (check a request). Owners' governance lives in {@code dev.authcore.console}, policies in {@code
 * dev.authcore.policy}, and what a storage back end implements in {@code dev.authcore.spi}.
 */
@NullMarked
package dev.authcore;

import org.jspecify.annotations.NullMarked;
