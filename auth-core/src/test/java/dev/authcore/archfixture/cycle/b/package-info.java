/** Fixture for ArchitectureTest. */
@NullMarked
package dev.authcore.archfixture.cycle.b;

import org.jspecify.annotations.NullMarked;
