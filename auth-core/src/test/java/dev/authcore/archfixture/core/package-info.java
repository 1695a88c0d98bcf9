/** Fixture for ArchitectureTest. */
@NullMarked
package dev.authcore.archfixture.core;

import org.jspecify.annotations.NullMarked;
