/**
 * The stores auth-core ships: {@link dev.authcore.store.InMemoryTokenStore} and {@link
 * dev.authcore.store.InMemoryUserDirectory}, the embedded defaults.
 */
@NullMarked
package dev.authcore.store;

import org.jspecify.annotations.NullMarked;
