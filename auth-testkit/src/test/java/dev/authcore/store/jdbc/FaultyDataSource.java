package dev.authcore.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that fails on purpose: either no connection at all ({@link #unreachable()}),
 * or statements whose SQL matches a predicate fail when executed, after the statements before them
 * in the same transaction have run ({@link #failing}).
 */
final class FaultyDataSource extends ConnectionSource {
  private final @org.jspecify.annotations.Nullable DataSource delegate;
  private final Predicate<String> failWhen;
  private final boolean failCommit;

  private FaultyDataSource(
      @org.jspecify.annotations.Nullable DataSource delegate,
      Predicate<String> failWhen,
      boolean failCommit) {
    this.delegate = delegate;
    this.failWhen = failWhen;
    this.failCommit = failCommit;
  }

  /** Every {@code getConnection} fails as a refused connection does. */
  static FaultyDataSource unreachable() {
    return new FaultyDataSource(null, sql -> true, false);
  }

  /** Statements whose SQL matches {@code failWhen} fail on execution. */
  static FaultyDataSource failing(DataSource delegate, Predicate<String> failWhen) {
    return new FaultyDataSource(delegate, failWhen, false);
  }

  /** Every {@code commit} fails as a connection lost at that moment does (nothing is sent). */
  static FaultyDataSource failingCommit(DataSource delegate) {
    return new FaultyDataSource(delegate, sql -> false, true);
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (delegate == null) {
      throw new SQLException("Connection to 127.0.0.1:1 refused (test)", "08001");
    }
    Connection real = delegate.getConnection();
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (failCommit && method.getName().equals("commit")) {
                throw new SQLException("injected failure at commit (test)", "08006");
              }
              Object result = invoke(real, method, args);
              if (method.getName().equals("prepareStatement")
                  && args != null
                  && args.length > 0
                  && args[0] instanceof String sql
                  && failWhen.test(sql)) {
                return failingStatement((PreparedStatement) result);
              }
              return result;
            });
  }

  private static PreparedStatement failingStatement(PreparedStatement real) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getName().startsWith("execute")) {
            throw new SQLException("injected failure (test)", "08006");
          }
          return invoke(real, method, args);
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            FaultyDataSource.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            handler);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
