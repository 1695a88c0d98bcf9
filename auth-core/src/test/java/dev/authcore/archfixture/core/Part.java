package dev.authcore.archfixture.core;

/** Fixture for ArchitectureTest: a part that calls back up into its assembler (not allowed). */
public final class Part {
  private final Assembler assembler;

  Part(Assembler assembler) {
    this.assembler = assembler;
  }

  int callBack() {
    return assembler.value();
  }
}
