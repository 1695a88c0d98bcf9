package dev.authcore.archfixture.core;

/** Fixture for ArchitectureTest: an assembler that its part calls back into. */
public final class Assembler {
  final Part part = new Part(this);

  int value() {
    return part.hashCode();
  }
}
