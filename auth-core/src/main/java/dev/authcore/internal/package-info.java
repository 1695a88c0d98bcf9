/**
 * Implementation details shared by auth-core's API packages. Not exported by the module; not an
 * API: anything here may change in any release.
 */
@NullMarked
package dev.authcore.internal;

import org.jspecify.annotations.NullMarked;
