/** Fixture for ArchitectureTest. */
@NullMarked
package dev.authcore.archfixture.spi;

import org.jspecify.annotations.NullMarked;
