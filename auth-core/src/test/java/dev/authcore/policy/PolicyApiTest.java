package dev.authcore.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.reflect.ClassPath;
import dev.authcore.net.AllowListException;
import dev.authcore.net.AllowListProblem;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Pins the public surface of the policy package: which types, and no third-party types in it. */
class PolicyApiTest {

  @Test
  void publicTypes_areExactlyTheDocumentedOnes() throws Exception {
    List<String> publicTypes = new ArrayList<>();
    for (ClassPath.ClassInfo info :
        ClassPath.from(getClass().getClassLoader()).getTopLevelClasses("dev.authcore.policy")) {
      Class<?> type = info.load();
      if (Modifier.isPublic(type.getModifiers())) {
        publicTypes.add(type.getSimpleName());
      }
    }
    assertThat(publicTypes)
        .containsExactlyInAnyOrder(
            "ExpiryCause",
            "ExpiryNotice",
            "ExpiryPolicy",
            "PermissionGrant",
            "StagedAllowList",
            "TokenSettings",
            "TokenStatus");
  }

  @Test
  void publicSignatures_useNoThirdPartyTypes() {
    Stream.of(
            AllowListException.class,
            AllowListProblem.class,
            ClientAddressResolver.class,
            ClientAddresses.class,
            IpAllowList.class)
        .flatMap(
            c ->
                Stream.concat(
                    Stream.of(c.getDeclaredMethods()), Stream.of(c.getDeclaredConstructors())))
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .forEach(
            m -> {
              for (Type t : signature(m)) {
                assertThat(t.getTypeName())
                    .as(m.toGenericString())
                    .doesNotContain("inet.ipaddr")
                    .doesNotContain("com.google");
              }
            });
  }

  private static List<Type> signature(Executable e) {
    List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
    types.addAll(List.of(e.getGenericExceptionTypes()));
    if (e instanceof Method m) {
      types.add(m.getGenericReturnType());
    }
    return types;
  }

  @Test
  void policyPackage_isExportedByTheModule() throws Exception {
    // Tests run on the class path, so read the compiled descriptor beside the classes.
    Path classes =
        Path.of(IpAllowList.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor descriptor;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      descriptor = ModuleDescriptor.read(in);
    }
    assertThat(descriptor.name()).isEqualTo("dev.authcore");
    assertThat(descriptor.exports())
        .filteredOn(e -> e.source().equals("dev.authcore.policy"))
        .singleElement()
        .satisfies(e -> assertThat(e.isQualified()).isFalse());
  }
}
