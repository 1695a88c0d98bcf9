package dev.authcore.archfixture.spi;

import dev.authcore.archfixture.core.Assembler;

/** Fixture for ArchitectureTest: an SPI type that depends on the core (not allowed). */
public interface Provider {
  Assembler assembler();
}
