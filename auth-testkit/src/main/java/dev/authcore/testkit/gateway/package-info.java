/**
 * The reference HTTP gateway: auth-core's console API on a JDK {@code HttpServer}, so that plain
 * clients ({@code curl} with {@code x-api-user} and {@code x-api-token} headers) can use it. {@link
 * dev.authcore.testkit.gateway.GatewayMain} is the entry point of {@code auth-gateway.jar}; its
 * documentation lists the flags, the endpoints and the status codes, which form a fixed contract.
 */
@NullMarked
package dev.authcore.testkit.gateway;

import org.jspecify.annotations.NullMarked;
