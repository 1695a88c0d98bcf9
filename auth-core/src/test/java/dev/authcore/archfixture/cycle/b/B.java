package dev.authcore.archfixture.cycle.b;

import dev.authcore.archfixture.cycle.a.A;

/** Fixture for ArchitectureTest: the other half of a package cycle. */
public final class B {
  private B() {}

  public static int value() {
    return 2;
  }

  public static int viaA() {
    return A.value() + 2;
  }
}
