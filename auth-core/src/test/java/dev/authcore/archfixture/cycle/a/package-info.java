/** Fixture for ArchitectureTest. */
@NullMarked
package dev.authcore.archfixture.cycle.a;

import org.jspecify.annotations.NullMarked;
