/**
 * The reference HTTP gateway: auth-core's console API on Jetty 12 (its core API, no servlets), so
 * that plain clients ({@code curl} with {@code x-api-user} and {@code x-api-token} headers) can use
 * it. {@link dev.authcore.testkit.gateway.GatewayMain} is the entry point of {@code
 * auth-gateway.jar}; its documentation lists the flags, the endpoints and the status codes, which
 * form a fixed contract.
 *
 * <p>This package alone needs Jetty ({@code org.eclipse.jetty:jetty-server}, logging through {@code
 * org.slf4j:slf4j-jdk14}), Jackson ({@code tools.jackson.core:jackson-databind}) and, for {@code
 * --jdbc-url}, the PostgreSQL driver and HikariCP. They are optional dependencies of auth-testkit,
 * so the kit's users do not get them; {@code auth-gateway.jar} carries them inside. Code that runs
 * the gateway from another classpath adds them there.
 */
@NullMarked
package dev.authcore.testkit.gateway;

import org.jspecify.annotations.NullMarked;
