package dev.authcore.examples.spring;

import dev.authcore.Verification;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A request that auth-core let in, as Spring Security holds it: the principal is the {@link
 * Verification.Authenticated} caller (so a controller takes it with {@code @AuthenticationPrincipal
 * Verification.Authenticated caller}), the name is the caller's email, and {@link #clientAddress()}
 * is the address the token was checked against. It keeps no credentials: the token is not needed
 * once verified. It grants no authorities: what the caller may do is decided by auth-core itself
 * (an owner's operation refuses a non-owner).
 */
public final class ApiTokenAuthentication extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  // Transient: only auth-core mints these, so one read back from bytes would prove nothing.
  private final transient Verification.Authenticated caller;
  private final InetAddress clientAddress;

  ApiTokenAuthentication(Verification.Authenticated caller, InetAddress clientAddress) {
    super(List.of());
    this.caller = caller;
    this.clientAddress = clientAddress;
    setAuthenticated(true);
  }

  @Override
  public Verification.Authenticated getPrincipal() {
    return caller;
  }

  @Override
  public @Nullable Object getCredentials() {
    return null;
  }

  @Override
  public String getName() {
    return caller.email();
  }

  /** The client's address: the peer, or the client a trusted proxy named. */
  public InetAddress clientAddress() {
    return clientAddress;
  }
}
