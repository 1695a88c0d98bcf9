package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's public surface (STYLE habit 1): exactly the API packages are exported, and no public
 * signature in them mentions a third-party or internal type, so users never depend on Caffeine,
 * IPAddress, BouncyCastle or Guava through auth-core.
 */
class ModuleApiTest {
  /**
   * The exported packages. Adding one is a decision about the public surface: change this list on
   * purpose, in the same change as the {@code exports} line.
   */
  static final Set<String> EXPORTED =
      Set.of(
          "dev.authcore",
          "dev.authcore.console",
          "dev.authcore.model",
          "dev.authcore.net",
          "dev.authcore.policy",
          "dev.authcore.spi",
          "dev.authcore.store",
          "dev.authcore.store.jdbc");

  /** Packages whose types must never appear in an exported signature. */
  private static final List<String> FORBIDDEN =
      List.of(
          "com.github.benmanes.caffeine.",
          "inet.ipaddr.",
          "org.bouncycastle.",
          "com.google.common.",
          "com.google.errorprone.",
          "com.fasterxml.jackson.",
          "tools.jackson.",
          "dev.authcore.internal.");

  static Path classesDir() throws URISyntaxException {
    Path dir = Path.of(AuthCore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(dir.resolve("module-info.class"))
        .as("auth-core's compiled module descriptor (run through Maven)")
        .exists();
    return dir;
  }

  /**
   * The descriptor as the module system sees the exploded {@code target/classes}: javac writes no
   * package list into {@code module-info.class}, so {@link ModuleFinder} scans the directory.
   */
  private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
    Path dir = classesDir();
    ModuleDescriptor found = ModuleFinder.of(dir).find("dev.authcore").orElseThrow().descriptor();
    try (InputStream in = Files.newInputStream(dir.resolve("module-info.class"))) {
      // The class file itself says the same about exports.
      assertThat(ModuleDescriptor.read(in).exports()).isEqualTo(found.exports());
    }
    return found;
  }

  @Test
  void moduleInfo_exportsExactlyTheApiPackagesToEveryone() throws Exception {
    ModuleDescriptor module = descriptor();
    assertThat(module.name()).isEqualTo("dev.authcore");
    assertThat(module.exports())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrderElementsOf(EXPORTED);
    assertThat(module.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    // Only the package of the schema's SQL files is open (to class loaders of migration tools).
    assertThat(module.opens())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.source()).isEqualTo("dev.authcore.store.jdbc.schema");
              assertThat(o.isQualified()).isFalse();
            });
    assertThat(module.isOpen()).isFalse();
    assertThat(module.packages()).contains("dev.authcore.internal");
  }

  @Test
  void moduleInfo_everyPackageWithClassesIsKnownToTheModule() throws Exception {
    Set<String> withClasses = new TreeSet<>();
    for (Class<?> c : classesIn(p -> true)) {
      withClasses.add(c.getPackageName());
    }
    assertThat(descriptor().packages()).containsAll(withClasses);
  }

  /** Loads every class compiled into auth-core whose package passes {@code packages}. */
  static List<Class<?>> classesIn(java.util.function.Predicate<String> packages) throws Exception {
    Path root = classesDir();
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String relative = root.relativize(file).toString();
        if (relative.equals("module-info.class") || relative.endsWith("package-info.class")) {
          continue;
        }
        String name =
            relative
                .substring(0, relative.length() - ".class".length())
                .replace(file.getFileSystem().getSeparator(), ".");
        int dot = name.lastIndexOf('.');
        if (dot > 0 && packages.test(name.substring(0, dot))) {
          out.add(Class.forName(name, false, AuthCore.class.getClassLoader()));
        }
      }
    }
    return out;
  }

  static boolean visibleOutsideModule(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
        return false;
      }
    }
    return true;
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** Every signature problem of one API type: "where: the offending type". */
  static List<String> signatureProblems(Class<?> type) {
    List<String> problems = new ArrayList<>();
    String where = type.getName();
    check(where + " extends", type.getGenericSuperclass(), problems);
    for (Type t : type.getGenericInterfaces()) {
      check(where + " implements", t, problems);
    }
    for (TypeVariable<?> v : type.getTypeParameters()) {
      check(where + " <" + v.getName() + ">", v, problems);
    }
    if (type.isRecord()) {
      for (RecordComponent rc : type.getRecordComponents()) {
        check(where + " component " + rc.getName(), rc.getGenericType(), problems);
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (exposed(f.getModifiers()) && !f.isSynthetic()) {
        check(where + "." + f.getName(), f.getGenericType(), problems);
      }
    }
    List<Executable> members = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (exposed(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        members.add(m);
        check(where + "." + m.getName() + " returns", m.getGenericReturnType(), problems);
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (exposed(c.getModifiers()) && !c.isSynthetic()) {
        members.add(c);
      }
    }
    for (Executable e : members) {
      String name = where + "." + (e instanceof Constructor ? "<init>" : e.getName());
      for (Type t : e.getGenericParameterTypes()) {
        check(name + " parameter", t, problems);
      }
      for (Type t : e.getGenericExceptionTypes()) {
        check(name + " throws", t, problems);
      }
      for (TypeVariable<?> v : e.getTypeParameters()) {
        check(name + " <" + v.getName() + ">", v, problems);
      }
    }
    return problems;
  }

  private static void check(String where, Type type, List<String> problems) {
    walk(where, type, problems, new HashSet<>());
  }

  private static void walk(String where, Type type, List<String> problems, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String name = c.getName();
      for (String forbidden : FORBIDDEN) {
        if (name.startsWith(forbidden)) {
          problems.add(where + ": " + name);
        }
      }
      if (name.startsWith("dev.authcore.") && !EXPORTED.contains(c.getPackageName())) {
        problems.add(where + ": " + name + " (package not exported)");
      } else if (name.startsWith("dev.authcore.") && !visibleOutsideModule(c)) {
        problems.add(where + ": " + name + " (not public)");
      }
    } else if (type instanceof ParameterizedType p) {
      walk(where, p.getRawType(), problems, seen);
      walk(where, p.getOwnerType(), problems, seen);
      for (Type arg : p.getActualTypeArguments()) {
        walk(where, arg, problems, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        walk(where, b, problems, seen);
      }
      for (Type b : w.getLowerBounds()) {
        walk(where, b, problems, seen);
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        walk(where, b, problems, seen);
      }
    } else if (type instanceof GenericArrayType a) {
      walk(where, a.getGenericComponentType(), problems, seen);
    }
  }

  @Test
  void exportedPackages_noPublicSignatureMentionsThirdPartyOrInternalTypes() throws Exception {
    List<Class<?>> api =
        classesIn(EXPORTED::contains).stream().filter(ModuleApiTest::visibleOutsideModule).toList();
    assertThat(api)
        .as("API types found")
        .extracting(Class::getSimpleName)
        .contains(
            "AuthCore",
            "TokenVerifier",
            "TokenIssuer",
            "SecretHashing",
            "TokenStore",
            "TokenId",
            "InMemoryTokenStore",
            "TokenSettings");
    List<String> problems =
        api.stream().flatMap(c -> signatureProblems(c).stream()).collect(Collectors.toList());
    assertThat(problems).isEmpty();
  }

  /** A type the check must catch, to show it can fail. */
  public static final class Leaky<T extends com.google.common.base.Supplier<String>> {
    public List<? extends com.github.benmanes.caffeine.cache.Cache<String, byte[]>> caches() {
      return List.of();
    }

    public void use(dev.authcore.internal.Base62[] helpers, T supplier) {}

    public org.bouncycastle.crypto.Digest digest =
        new org.bouncycastle.crypto.digests.SHA256Digest();

    public Leaky(inet.ipaddr.IPAddress address) {}
  }

  @Test
  void signatureProblems_leakyType_allFound() {
    assertThat(String.join("\n", signatureProblems(Leaky.class)))
        .contains("<T>: com.google.common.base.Supplier")
        .contains("caches returns: com.github.benmanes.caffeine.cache.Cache")
        .contains("use parameter: dev.authcore.internal.Base62")
        .contains("digest: org.bouncycastle.crypto.Digest")
        .contains("<init> parameter: inet.ipaddr.IPAddress");
  }
}
