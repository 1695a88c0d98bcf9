/**
 * Test fixtures for code that embeds auth-core: a {@link dev.authcore.testkit.FakeClock}, seeded
 * generators of emails, token names, tokens, addresses and allow lists ({@link
 * dev.authcore.testkit.Generators}, {@link dev.authcore.testkit.TokenTexts}, {@link
 * dev.authcore.testkit.Addresses}), operation sequences for stateful tests ({@link
 * dev.authcore.testkit.Operations}) and {@link dev.authcore.testkit.Seeds} to replay any of them.
 *
 * <p>The generators are framework-neutral: a {@link java.util.random.RandomGenerator} in, values
 * out, so they serve JUnit parameterized or dynamic tests, Jazzer, or any property-testing library.
 * The same seed gives the same values on every run and JDK (use {@link
 * dev.authcore.testkit.Seeds#random(long)}). Store contract suites live in {@code
 * dev.authcore.testkit.contract}; the reference HTTP gateway in {@code
 * dev.authcore.testkit.gateway}.
 */
@NullMarked
package dev.authcore.testkit;

import org.jspecify.annotations.NullMarked;
