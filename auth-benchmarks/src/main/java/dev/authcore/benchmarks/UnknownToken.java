package dev.authcore.benchmarks;

import dev.authcore.testkit.TokenTexts;
import java.security.SecureRandom;

/**
 * Prints one well-formed token text (valid checksum) with a random id that no store holds, for the
 * prefix given: the "unknown token" of the gateway load test ({@code auth-benchmarks/load/run}).
 * The id is 64 random bits, so it collides with an issued one with negligible probability.
 *
 * <pre>
 * java -cp auth-benchmarks/target/benchmarks.jar dev.authcore.benchmarks.UnknownToken gw
 * </pre>
 */
public final class UnknownToken {
  private UnknownToken() {}

  /**
   * Prints the token.
   *
   * @param args the token prefix, one argument
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: UnknownToken <prefix>");
      System.exit(2);
      return;
    }
    try {
      System.out.println(TokenTexts.wellFormed(new SecureRandom(), args[0]));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }
}
