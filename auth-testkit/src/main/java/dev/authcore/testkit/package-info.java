/** Test fixtures for code that embeds auth-core. */
@NullMarked
package dev.authcore.testkit;

import org.jspecify.annotations.NullMarked;
