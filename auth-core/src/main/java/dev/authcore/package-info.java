@NullMarked
package dev.authcore;

import org.jspecify.annotations.NullMarked;
