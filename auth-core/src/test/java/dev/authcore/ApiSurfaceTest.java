package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedTypeVariable;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The public surface, pinned: every public or protected type and member of every exported package,
 * with nullness, written one per line and compared with the checked-in {@value #GOLDEN}. A change
 * to the surface is then a visible decision in review (the golden file changes with it), never an
 * accident.
 *
 * <p>To accept a deliberate change, regenerate the file and commit it with the change:
 *
 * <pre>
 * mvn -B -o -pl auth-core test -DskipPitest -Dtest=ApiSurfaceTest -Dapi.surface.update=true
 * </pre>
 */
class ApiSurfaceTest {
  static final String GOLDEN = "api-surface.txt";
  private static final String UPDATE_PROPERTY = "api.surface.update";
  private static final String REGENERATE =
      "If the change is intended, regenerate with: mvn -B -o -pl auth-core test -DskipPitest"
          + " -Dtest=ApiSurfaceTest -D"
          + UPDATE_PROPERTY
          + "=true (and commit src/test/resources/dev/authcore/"
          + GOLDEN
          + ")";

  @Test
  void publicSurface_matchesTheCheckedInFile() throws Exception {
    List<String> actual = surface();
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      // target/classes -> the module's directory
      Path module = ModuleApiTest.classesDir().toAbsolutePath().resolve("../..").normalize();
      Path file = module.resolve("src/test/resources/dev/authcore").resolve(GOLDEN);
      Files.write(file, actual, StandardCharsets.UTF_8);
      return;
    }
    List<String> expected = golden();
    if (!expected.equals(actual)) {
      fail(
          "The public surface of the exported packages changed ('-' no longer there, '+' new):\n"
              + diff(expected, actual)
              + "\n"
              + REGENERATE);
    }
  }

  @Test
  void surface_holdsTheEntryPointsAndNoSideDoor() throws Exception {
    List<String> lines = surface();
    assertThat(lines)
        .contains(
            "public final class dev.authcore.AuthCore implements java.lang.AutoCloseable",
            "dev.authcore.AuthCore :: public dev.authcore.TokenIssuer issuer()",
            "dev.authcore.TokenVerifier :: public dev.authcore.Verification verify(@Nullable"
                + " java.lang.String, @Nullable java.lang.String, java.net.InetAddress)");
    assertThat(lines)
        .noneMatch(l -> l.startsWith("dev.authcore.AuthCore :: ") && l.contains(" store()"))
        .noneMatch(l -> l.contains(" publish("))
        .noneMatch(l -> l.startsWith("dev.authcore.AuthCore :: ") && l.contains(" actor("));
  }

  @Test
  void diff_showsRemovedAndAddedLinesInOrder() {
    assertThat(diff(List.of("a", "b", "c", "d"), List.of("a", "c", "x", "d")))
        .isEqualTo("- b\n+ x\n");
  }

  // ---- rendering -----------------------------------------------------------------------------

  /** The surface as sorted lines: each type, then each of its members, named by its type. */
  static List<String> surface() throws Exception {
    List<Class<?>> types =
        ModuleApiTest.classesIn(ModuleApiTest.EXPORTED::contains).stream()
            .filter(ModuleApiTest::visibleOutsideModule)
            .sorted(Comparator.comparing(Class::getName))
            .toList();
    List<String> lines = new ArrayList<>();
    for (Class<?> type : types) {
      lines.add(typeLine(type));
      List<String> members = new ArrayList<>();
      for (Field f : type.getDeclaredFields()) {
        if (exposed(f.getModifiers()) && !f.isSynthetic()) {
          members.add(
              modifiers(f.getModifiers() & Modifier.fieldModifiers())
                  + type(f.getAnnotatedType())
                  + " "
                  + f.getName());
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (exposed(c.getModifiers()) && !c.isSynthetic()) {
          members.add(
              modifiers(c.getModifiers() & Modifier.constructorModifiers())
                  + typeParameters(c.getTypeParameters())
                  + "<init>"
                  + parameters(c)
                  + exceptions(c));
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (exposed(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          members.add(
              modifiers(m.getModifiers() & Modifier.methodModifiers())
                  + (m.isDefault() ? "default " : "")
                  + typeParameters(m.getTypeParameters())
                  + type(m.getAnnotatedReturnType())
                  + " "
                  + m.getName()
                  + parameters(m)
                  + exceptions(m));
        }
      }
      members.sort(Comparator.naturalOrder());
      for (String member : members) {
        lines.add(type.getCanonicalName() + " :: " + member);
      }
    }
    return lines;
  }

  private static boolean exposed(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String typeLine(Class<?> type) {
    int mask = type.isInterface() ? Modifier.interfaceModifiers() : Modifier.classModifiers();
    int modifiers = type.getModifiers() & mask;
    if (type.isInterface()) {
      modifiers &= ~Modifier.ABSTRACT; // every interface is abstract
    }
    if (type.isEnum() || type.isRecord()) {
      modifiers &= ~Modifier.FINAL; // implied
    }
    if (type.isMemberClass() && (type.isInterface() || type.isEnum() || type.isRecord())) {
      modifiers &= ~Modifier.STATIC; // implied
    }
    String kind =
        type.isAnnotation()
            ? "@interface"
            : type.isInterface()
                ? "interface"
                : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
    StringBuilder line =
        new StringBuilder(modifiers(modifiers))
            .append(type.isSealed() ? "sealed " : "")
            .append(kind)
            .append(' ')
            .append(type.getCanonicalName())
            .append(typeParameters(type.getTypeParameters()).stripTrailing());
    AnnotatedType superclass = type.getAnnotatedSuperclass();
    if (superclass != null
        && superclass.getType() != Object.class
        && superclass.getType() != Record.class
        && !type.isEnum()) {
      line.append(" extends ").append(type(superclass));
    }
    AnnotatedType[] interfaces = type.getAnnotatedInterfaces();
    if (interfaces.length > 0) {
      line.append(type.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(interfaces).map(ApiSurfaceTest::type).collect(joining()));
    }
    if (type.isSealed()) {
      line.append(" permits ")
          .append(
              Arrays.stream(type.getPermittedSubclasses())
                  .map(Class::getCanonicalName)
                  .sorted()
                  .collect(joining()));
    }
    return line.toString();
  }

  private static String modifiers(int modifiers) {
    String text = Modifier.toString(modifiers);
    return text.isEmpty() ? "" : text + " ";
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    List<String> rendered = new ArrayList<>();
    for (TypeVariable<?> v : variables) {
      List<String> bounds =
          Arrays.stream(v.getAnnotatedBounds())
              .filter(b -> b.getType() != Object.class || isNullable(b))
              .map(ApiSurfaceTest::type)
              .toList();
      rendered.add(
          v.getName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds)));
    }
    return "<" + String.join(", ", rendered) + "> ";
  }

  private static String parameters(Executable e) {
    List<String> rendered = new ArrayList<>();
    AnnotatedType[] types = e.getAnnotatedParameterTypes();
    for (int i = 0; i < types.length; i++) {
      String text = type(types[i]);
      if (e.isVarArgs() && i == types.length - 1 && text.endsWith("[]")) {
        text = text.substring(0, text.length() - 2) + "...";
      }
      rendered.add(text);
    }
    return "(" + String.join(", ", rendered) + ")";
  }

  private static String exceptions(Executable e) {
    AnnotatedType[] thrown = e.getAnnotatedExceptionTypes();
    return thrown.length == 0
        ? ""
        : " throws " + Arrays.stream(thrown).map(ApiSurfaceTest::type).collect(joining());
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(", ");
  }

  private static boolean isNullable(AnnotatedElement element) {
    return element.isAnnotationPresent(Nullable.class);
  }

  /** A type as written in source, fully qualified, with {@code @Nullable} where it is declared. */
  static String type(AnnotatedType annotated) {
    String nullable = isNullable(annotated) ? "@Nullable " : "";
    if (annotated instanceof AnnotatedArrayType array) {
      return type(array.getAnnotatedGenericComponentType())
          + (nullable.isEmpty() ? "" : " @Nullable")
          + "[]";
    }
    if (annotated instanceof AnnotatedParameterizedType parameterized) {
      Class<?> raw = (Class<?>) ((ParameterizedType) parameterized.getType()).getRawType();
      return nullable
          + raw.getCanonicalName()
          + "<"
          + Arrays.stream(parameterized.getAnnotatedActualTypeArguments())
              .map(ApiSurfaceTest::type)
              .collect(joining())
          + ">";
    }
    if (annotated instanceof AnnotatedWildcardType wildcard) {
      AnnotatedType[] lower = wildcard.getAnnotatedLowerBounds();
      if (lower.length > 0) {
        return nullable + "? super " + type(lower[0]);
      }
      AnnotatedType[] upper = wildcard.getAnnotatedUpperBounds();
      return upper.length == 0 || (upper[0].getType() == Object.class && !isNullable(upper[0]))
          ? nullable + "?"
          : nullable + "? extends " + type(upper[0]);
    }
    if (annotated instanceof AnnotatedTypeVariable variable) {
      return nullable + variable.getType().getTypeName();
    }
    if (annotated.getType() instanceof Class<?> c) {
      return nullable + (c.getCanonicalName() != null ? c.getCanonicalName() : c.getName());
    }
    return nullable + annotated.getType().getTypeName();
  }

  // ---- golden file and diff ------------------------------------------------------------------

  private static List<String> golden() throws IOException {
    try (InputStream in = ApiSurfaceTest.class.getResourceAsStream(GOLDEN)) {
      if (in == null) {
        fail("no " + GOLDEN + " beside this test. " + REGENERATE);
        throw new AssertionError("unreachable");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().toList();
    }
  }

  /** The lines removed ({@code -}) and added ({@code +}), in file order, by longest common run. */
  static String diff(List<String> before, List<String> after) {
    int n = before.size();
    int m = after.size();
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] =
            before.get(i).equals(after.get(j))
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && before.get(i).equals(after.get(j))) {
        i++;
        j++;
      } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
        out.append("+ ").append(after.get(j++)).append('\n');
      } else {
        out.append("- ").append(before.get(i++)).append('\n');
      }
    }
    return out.toString();
  }
}
