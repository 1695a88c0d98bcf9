/**
 * auth-core in a Spring Boot application with Spring Security: {@link
 * dev.authcore.examples.spring.ApiTokenFilter} authenticates {@code /api/**} requests by their
 * {@code x-api-user} and {@code x-api-token} headers, {@link
 * dev.authcore.examples.spring.AuthCoreConfiguration} builds the deployment on Boot's PostgreSQL
 * pool, and {@link dev.authcore.examples.spring.TokenController} is the token-management API.
 */
@NullMarked
package dev.authcore.examples.spring;

import org.jspecify.annotations.NullMarked;
