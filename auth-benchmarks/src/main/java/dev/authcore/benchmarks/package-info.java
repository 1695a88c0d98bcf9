/**
 * JMH benchmarks of auth-core. Each class states what it measures, its baseline and its command.
 */
@NullMarked
package dev.authcore.benchmarks;

import org.jspecify.annotations.NullMarked;
