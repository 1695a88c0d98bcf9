/**
 * The hand-over between a deployment ({@code dev.authcore.AuthCore}) and its console ({@code
 * dev.authcore.console.TokenConsole}): the account lookup both use, and the collaborators the
 * console receives. Not exported by the module; not an API.
 *
 * <p>It exists because the console lives in its own package and cannot see the deployment's
 * package-private parts, while no public method of an exported package may hand out the raw store
 * or a way to publish events. Dependencies point one way: this package uses only the value and SPI
 * packages ({@code model}, {@code policy}, {@code spi}, {@code internal}); the deployment and the
 * console both depend on it, and it depends on neither.
 */
@NullMarked
package dev.authcore.internal.wiring;

import org.jspecify.annotations.NullMarked;
