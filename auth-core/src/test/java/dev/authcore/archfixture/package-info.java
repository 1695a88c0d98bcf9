/**
 * Deliberate violations of auth-core's architecture rules, so ArchitectureTest can show each rule
 * fails when broken. Test code only; never part of the library.
 */
@NullMarked
package dev.authcore.archfixture;

import org.jspecify.annotations.NullMarked;
