package dev.authcore.internal.wiring;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How a console reaches the parts of the deployment it is built on, without a public method on the
 * deployment that would hand them to anyone.
 *
 * <p>The deployment class installs, once, in its static initialiser, a function from a deployment
 * to its {@link ConsoleParts}; {@code TokenConsole.of(core)} looks them up here. A deployment
 * instance exists only after its class is initialised, so the function is always installed before a
 * console asks. The deployment type is {@code Object} here because this package must not depend on
 * {@code dev.authcore} (that would be a package cycle); the installed function checks it.
 *
 * <p>This is the only way to a deployment's store and audit publisher from outside {@code
 * dev.authcore}. The package is not exported, so code outside auth-core's module cannot call it. On
 * the class path, where no module boundary holds, it is as reachable as any public class (and
 * reflection reaches everything anyway); like everything in {@code internal} it is no API, and the
 * guarantee is the module's.
 */
public final class ConsoleAccess {
  private static volatile @Nullable Function<Object, ConsoleParts> access;

  private ConsoleAccess() {}

  /**
   * Installs the lookup. Called once, by the deployment class.
   *
   * @throws IllegalStateException if a lookup is installed already
   */
  public static synchronized void install(Function<Object, ConsoleParts> lookup) {
    Objects.requireNonNull(lookup, "lookup");
    if (access != null) {
      throw new IllegalStateException("the console access is installed already");
    }
    access = lookup;
  }

  /**
   * The parts of {@code deployment} a console works with.
   *
   * @throws IllegalStateException if no deployment class installed the lookup
   */
  public static ConsoleParts partsOf(Object deployment) {
    Objects.requireNonNull(deployment, "deployment");
    @Nullable Function<Object, ConsoleParts> lookup = access;
    if (lookup == null) {
      throw new IllegalStateException("no deployment class installed the console access");
    }
    return lookup.apply(deployment);
  }
}
