package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ForwardingTokenStoreTest {

  /** Forwards everything: what a subclass that overrides nothing does. */
  private static final class Plain extends ForwardingTokenStore {
    Plain(TokenStore delegate) {
      super(delegate);
    }
  }

  /** One call that reached the recording delegate. */
  private record Call(String method, List<@Nullable Object> args) {}

  /** A delegate that records each call and answers with a value made for that call. */
  private static final class Recorder implements InvocationHandler {
    final List<Call> calls = new ArrayList<>();
    final List<@Nullable Object> answers = new ArrayList<>();

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) {
      if (method.getDeclaringClass() == Object.class) {
        return method.getName().equals("toString") ? "Recorder" : null;
      }
      calls.add(new Call(method.getName(), args == null ? List.of() : Arrays.asList(args.clone())));
      @Nullable Object answer = answerFor(method.getReturnType());
      answers.add(answer);
      return answer;
    }

    private static @Nullable Object answerFor(Class<?> type) {
      if (type == void.class) {
        return null;
      }
      if (type == boolean.class) {
        return true;
      }
      if (type == Optional.class) {
        return Optional.empty();
      }
      if (type == List.class) {
        return new ArrayList<>(); // a fresh instance, so identity tells it apart
      }
      if (type == Set.class) {
        return Set.of("ann@example.com");
      }
      if (type == java.util.Map.class) {
        return new java.util.HashMap<>(); // a fresh instance, so identity tells it apart
      }
      if (type == TokenSettings.class) {
        return TokenSettings.defaults().withExpiry(ExpiryPolicy.after(Duration.ofDays(9)));
      }
      if (type == TokenStore.InsertOutcome.class) {
        return TokenStore.InsertOutcome.NAME_TAKEN;
      }
      if (type == FeedStatus.class) {
        return FeedStatus.disconnected(3, Duration.ofSeconds(7)); // a fresh instance
      }
      if (type == ListenerRegistration.class) {
        ListenerRegistration registration = () -> {}; // a fresh instance: identity tells it apart
        return registration;
      }
      throw new AssertionError("no answer for " + type + ": a new TokenStore method?");
    }
  }

  @Test
  void declaresEveryTokenStoreMethod_soDefaultMethodsForwardToo() {
    for (Method method : TokenStore.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      assertThat(declared(method))
          .as("ForwardingTokenStore declares %s", method)
          .isNotNull()
          .satisfies(m -> assertThat(Modifier.isFinal(m.getModifiers())).isFalse());
    }
  }

  @Test
  void everyMethod_callsTheDelegateWithTheSameArgumentsAndReturnsItsAnswer() throws Exception {
    Recorder recorder = new Recorder();
    TokenStore delegate =
        (TokenStore)
            Proxy.newProxyInstance(
                TokenStore.class.getClassLoader(), new Class<?>[] {TokenStore.class}, recorder);
    ForwardingTokenStore store = new Plain(delegate);
    int expectedCalls = 0;
    for (Method method : TokenStore.class.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      @Nullable Object[] args = argumentsFor(method);
      @Nullable Object result;
      try {
        result = method.invoke(store, args);
      } catch (InvocationTargetException e) {
        throw new AssertionError(method + " threw", e.getCause());
      }
      expectedCalls++;
      assertThat(recorder.calls).as("calls after %s", method).hasSize(expectedCalls);
      Call call = recorder.calls.get(expectedCalls - 1);
      assertThat(call.method()).isEqualTo(method.getName());
      assertThat(call.args()).as(method.getName()).containsExactly(args);
      @Nullable Object answer = recorder.answers.get(expectedCalls - 1);
      if (answer == null) {
        assertThat(result).as(method.getName()).isNull();
      } else if (answer instanceof Boolean) {
        assertThat(result).as(method.getName()).isEqualTo(answer);
      } else {
        assertThat(result).as(method.getName()).isSameAs(answer);
      }
    }
    assertThat(expectedCalls).as("TokenStore methods").isGreaterThanOrEqualTo(11);
  }

  @Test
  void subclass_overridesOneMethod_restStillForwarded() {
    InMemoryTokenStore memory = new InMemoryTokenStore();
    ForwardingTokenStore down =
        new ForwardingTokenStore(memory) {
          @Override
          public TokenSettings settings(String corp) {
            throw new StoreUnavailableException("test: settings are down");
          }
        };
    assertThatThrownBy(() -> down.settings("acme")).isInstanceOf(StoreUnavailableException.class);
    assertThat(down.setPermission("acme", "ann@example.com", true)).isFalse();
    assertThat(memory.permittedUsers("acme")).containsExactly("ann@example.com");
    assertThat(down.find(TokenId.fromLong(7))).isEmpty();
  }

  @Test
  void constructor_nullDelegate_refused() {
    assertThatThrownBy(() -> new Plain(nullStore()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("delegate");
  }

  @Test
  void toString_namesTheSubclassAndTheDelegate() {
    InMemoryTokenStore memory = new InMemoryTokenStore();
    assertThat(new Plain(memory).toString()).isEqualTo("Plain[" + memory + "]");
  }

  private static @Nullable Method declared(Method method) {
    try {
      return ForwardingTokenStore.class.getDeclaredMethod(
          method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Distinct, recognisable arguments for {@code method}. */
  private static @Nullable Object[] argumentsFor(Method method) {
    Class<?>[] types = method.getParameterTypes();
    @Nullable Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      if (type == String.class) {
        args[i] = method.getName() + "-" + i + "@example.com";
      } else if (type == int.class) {
        args[i] = 40 + i;
      } else if (type == boolean.class) {
        args[i] = true;
      } else if (type == TokenId.class) {
        args[i] = TokenId.fromLong(1000 + i);
      } else if (type == TokenSettings.class) {
        args[i] = TokenSettings.defaults().withRestricted(i % 2 == 0);
      } else if (type == ExpiryNotice.class) {
        args[i] = ExpiryNotice.ONE_DAY;
      } else if (type == ListPosition.class) {
        args[i] = new ListPosition(Instant.parse("2026-01-01T00:00:00Z"), TokenId.fromLong(5));
      } else if (type == List.class) {
        args[i] = new ArrayList<>(List.of());
      } else if (type == StoreListener.class) {
        args[i] =
            new StoreListener() {
              @Override
              public void tokenDeleted(TokenId id) {}

              @Override
              public void corpChanged(String corp) {}
            };
      } else if (type == SecretHash.class) {
        byte[] bytes = new byte[SecretHash.LENGTH];
        bytes[0] = (byte) i; // distinct per position
        args[i] = SecretHash.of(SecretHash.Algorithm.SHA256, null, bytes);
      } else if (type == Instant.class) {
        args[i] = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i);
      } else if (type == TokenRecord.class) {
        args[i] =
            TokenRecord.issued(
                TokenId.fromLong(77),
                "acme",
                "ann@example.com",
                "ci",
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[SecretHash.LENGTH]));
      } else {
        throw new AssertionError("no argument for " + type + " in " + method);
      }
    }
    return args;
  }

  @SuppressWarnings("NullAway") // deliberately null, to check the refusal
  private static TokenStore nullStore() {
    return null;
  }
}
