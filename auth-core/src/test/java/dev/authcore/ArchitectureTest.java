package dev.authcore;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasModifiers.Predicates.modifier;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shape of auth-core, kept by the build (STYLE habits 13 and 14). Dependencies point one way:
 *
 * <pre>
 * console ──► dev.authcore (issuing, verifying, the assembler) ──► spi ──► policy ──► net ──► model
 *    │                 │                                            ▲
 *    └──► internal.wiring ◄──┘          store, store.jdbc ──────────┘        (internal: a leaf)
 * </pre>
 *
 * <ul>
 *   <li>No package cycle among auth-core's packages, {@code internal} included.
 *   <li>The parts never call back up into the assembler: no class of {@code dev.authcore} but
 *       {@code AuthCore} itself depends on {@code AuthCore}, and {@code TokenVerifier} and {@code
 *       TokenIssuer} in particular do not.
 *   <li>{@code spi} (what a store or directory implements) depends only on itself, the value
 *       packages {@code model}, {@code policy} and {@code net}, and the leaf helpers of {@code
 *       internal}: never on the core, the console, the stores or the hand-over.
 *   <li>The value packages depend only downwards: {@code model} on {@code internal}; {@code net} on
 *       {@code model} and {@code internal}; {@code policy} on those and {@code net}.
 *   <li>{@code internal} is a leaf: it depends on no other auth-core package.
 *   <li>The console uses only the public API of {@code dev.authcore}; it receives the deployment's
 *       parts through {@code internal.wiring}, which depends on neither of them. The core never
 *       depends on the console.
 *   <li>The shipped stores depend on the SPI and the value packages only.
 * </ul>
 *
 * <p>Each rule is also shown to fail on a deliberately broken fixture ({@code
 * dev.authcore.archfixture}), so a rule that silently matches nothing cannot pass for a kept one.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.authcore";

  /** auth-core's own classes, read from its compiled classes directory: no test class. */
  private static final JavaClasses MAIN =
      new ClassFileImporter().importPath(mainClassesDirectory());

  private static final JavaClasses FIXTURE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
          .importPackages("dev.authcore.archfixture");

  private static Path mainClassesDirectory() {
    try {
      return ModuleApiTest.classesDir();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate auth-core's classes", e);
    }
  }

  // ---- the rules on auth-core ----------------------------------------------------------------

  @Test
  void packages_haveNoCycle() {
    noPackageCycles(ROOT).check(MAIN);
  }

  @Test
  void verifierAndIssuer_doNotDependOnTheAssembler() {
    partsDoNotDependOn(ROOT + ".AuthCore", ROOT + ".TokenVerifier", ROOT + ".TokenIssuer")
        .check(MAIN);
  }

  @Test
  void noPartOfTheCore_dependsOnTheAssembler() {
    noClasses()
        .that()
        .resideInAPackage(ROOT)
        .and()
        .haveNameNotMatching(nameOrNested(ROOT + ".AuthCore"))
        .should()
        .dependOnClassesThat()
        .haveNameMatching(nameOrNested(ROOT + ".AuthCore"))
        .because("the assembler wires the parts; parts do not call back up into it")
        .check(MAIN);
  }

  @Test
  void spi_dependsOnlyOnItselfAndTheValuePackages() {
    dependsOnlyOn(
            ROOT + ".spi",
            ROOT + ".spi",
            ROOT + ".model",
            ROOT + ".policy",
            ROOT + ".net",
            ROOT + ".internal")
        .check(MAIN);
  }

  @Test
  void model_dependsOnlyOnInternal() {
    dependsOnlyOn(ROOT + ".model", ROOT + ".model", ROOT + ".internal").check(MAIN);
  }

  @Test
  void net_andPolicy_dependOnlyDownwards() {
    dependsOnlyOn(ROOT + ".net", ROOT + ".net", ROOT + ".model", ROOT + ".internal").check(MAIN);
    dependsOnlyOn(
            ROOT + ".policy", ROOT + ".policy", ROOT + ".net", ROOT + ".model", ROOT + ".internal")
        .check(MAIN);
  }

  @Test
  void internal_isALeaf() {
    dependsOnlyOn(ROOT + ".internal", ROOT + ".internal").check(MAIN);
  }

  @Test
  void wiring_dependsOnNeitherTheCoreNorTheConsole() {
    dependsOnlyOn(
            ROOT + ".internal.wiring",
            ROOT + ".internal.wiring",
            ROOT + ".internal",
            ROOT + ".spi",
            ROOT + ".policy",
            ROOT + ".net",
            ROOT + ".model")
        .check(MAIN);
  }

  @Test
  void console_usesOnlyThePublicApiOfTheCore() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".console")
        .should()
        .dependOnClassesThat(
            resideInAPackage(ROOT).and(not(modifier(JavaModifier.PUBLIC))).as("non-public core"))
        .because("the console gets the deployment's parts through internal.wiring only")
        .check(MAIN);
  }

  @Test
  void core_doesNotDependOnTheConsole() {
    noClasses()
        .that()
        .resideInAPackage(ROOT)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".console..")
        .because("dependencies point from the console to the core, never back")
        .check(MAIN);
  }

  @Test
  void stores_dependOnlyOnTheSpiAndTheValuePackages() {
    for (String store : new String[] {ROOT + ".store", ROOT + ".store.jdbc"}) {
      dependsOnlyOn(
              store,
              ROOT + ".store",
              ROOT + ".store.jdbc",
              ROOT + ".spi",
              ROOT + ".model",
              ROOT + ".policy",
              ROOT + ".net",
              ROOT + ".internal")
          .check(MAIN);
    }
  }

  // ---- each rule fails when broken -----------------------------------------------------------

  @Test
  void cycleRule_packageCycle_fails() {
    assertThat(noPackageCycles("dev.authcore.archfixture").evaluate(FIXTURE).hasViolation())
        .isTrue();
  }

  @Test
  void partRule_partCallingBackIntoItsAssembler_fails() {
    String core = "dev.authcore.archfixture.core.";
    assertThat(
            partsDoNotDependOn(core + "Assembler", core + "Part").evaluate(FIXTURE).hasViolation())
        .isTrue();
  }

  @Test
  void dependsOnlyOnRule_spiDependingOnTheCore_fails() {
    assertThat(
            dependsOnlyOn("dev.authcore.archfixture.spi", "dev.authcore.archfixture.spi")
                .evaluate(FIXTURE)
                .hasViolation())
        .isTrue();
  }

  @Test
  void mainClasses_imported() {
    assertThat(MAIN.contain(AuthCore.class)).isTrue();
    assertThat(MAIN.contain(ROOT + ".internal.wiring.ConsoleAccess")).isTrue();
    assertThat(MAIN.stream().map(JavaClass::getPackageName))
        .as("no test class mixed in")
        .doesNotContain("dev.authcore.archfixture.core");
  }

  // ---- rule builders -------------------------------------------------------------------------

  /** Every package under {@code root} (itself included) is a slice; slices form no cycle. */
  static ArchRule noPackageCycles(String root) {
    SliceAssignment byPackage =
        new SliceAssignment() {
          @Override
          public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.equals(root) || name.startsWith(root + ".")
                ? SliceIdentifier.of(name)
                : SliceIdentifier.ignore();
          }

          @Override
          public String getDescription() {
            return "every package of " + root;
          }
        };
    return slices().assignedFrom(byPackage).should().beFreeOfCycles();
  }

  /** The named parts (and their nested classes) do not depend on the assembler. */
  static ArchRule partsDoNotDependOn(String assembler, String... parts) {
    StringBuilder names = new StringBuilder();
    for (String part : parts) {
      names.append(names.length() == 0 ? "" : "|").append(nameOrNested(part));
    }
    return noClasses()
        .that()
        .haveNameMatching(names.toString())
        .should()
        .dependOnClassesThat()
        .haveNameMatching(nameOrNested(assembler))
        .because("a part receives the collaborators it uses and never calls back up");
  }

  /**
   * Classes in {@code pkg} depend on no auth-core package other than {@code allowed} (exact
   * packages, not their sub-packages). Libraries and the JDK are not restricted here.
   */
  static ArchRule dependsOnlyOn(String pkg, String... allowed) {
    return noClasses()
        .that()
        .resideInAPackage(pkg)
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.authcore..")
                .and(not(resideInAnyPackage(allowed)))
                .as("an auth-core package other than " + String.join(", ", allowed)));
  }

  private static String nameOrNested(String className) {
    return Pattern.quote(className) + "(\\$.*)?";
  }
}
