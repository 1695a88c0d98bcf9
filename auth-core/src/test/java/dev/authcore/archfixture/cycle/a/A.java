package dev.authcore.archfixture.cycle.a;

import dev.authcore.archfixture.cycle.b.B;

/** Fixture for ArchitectureTest: one half of a package cycle. */
public final class A {
  private A() {}

  public static int viaB() {
    return B.value() + 1;
  }

  public static int value() {
    return 1;
  }
}
