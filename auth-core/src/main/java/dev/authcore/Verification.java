package dev.authcore;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.authcore.model.TokenId;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of {@link TokenVerifier#verify}: {@link Authenticated} or {@link Rejected}. A
 * rejection is an expected outcome, returned rather than thrown.
 *
 * <pre>{@code
 * switch (verifier.verify(user, token, clientAddress)) {
 *   case Verification.Authenticated who -> proceed(who.corp(), who.email());
 *   case Verification.Rejected no -> respond401(); // no.reason() is for the audit log only
 * }
 * }</pre>
 *
 * (Pattern matching for switch needs Java 21; on 17 use {@code instanceof}.)
 *
 * <p>As JSON (Jackson 2 or 3, through the optional Jackson annotations): {@code
 * {"authenticated":true,"corp":…,"email":…,"tokenId":…,"tokenName":…}} or {@code
 * {"authenticated":false,"reason":"EXPIRED"}}. A rejection's reason is for logs, not for the
 * caller.
 */
public sealed interface Verification permits Verification.Authenticated, Verification.Rejected {

  /** Whether the request may proceed. */
  boolean isAuthenticated();

  /**
   * A successful verification: who is calling, and with which token. Only auth-core creates these,
   * so holding one proves the check passed. Immutable; compared by identity.
   */
  final class Authenticated implements Verification {
    private final String corp;
    private final String email;
    private final TokenId tokenId;
    private final String tokenName;

    Authenticated(String corp, String email, TokenId tokenId, String tokenName) {
      this.corp = corp;
      this.email = email;
      this.tokenId = tokenId;
      this.tokenName = tokenName;
    }

    @Override
    public boolean isAuthenticated() {
      return true;
    }

    /** The corp of the token's owner. */
    @JsonProperty
    public String corp() {
      return corp;
    }

    /** The token owner's email, as stored when the token was issued. */
    @JsonProperty
    public String email() {
      return email;
    }

    /** The id of the token used. */
    @JsonProperty
    public TokenId tokenId() {
      return tokenId;
    }

    /** The name of the token used. */
    @JsonProperty
    public String tokenName() {
      return tokenName;
    }

    @Override
    public String toString() {
      return "Authenticated[corp=" + corp + ", email=" + email + ", token=" + tokenId + "]";
    }
  }

  /** A rejection, with its reason. One shared instance per reason. */
  final class Rejected implements Verification {
    private static final Map<RejectionReason, Rejected> ALL = new EnumMap<>(RejectionReason.class);

    static {
      for (RejectionReason reason : RejectionReason.values()) {
        ALL.put(reason, new Rejected(reason));
      }
    }

    private final RejectionReason reason;

    private Rejected(RejectionReason reason) {
      this.reason = reason;
    }

    static Rejected of(RejectionReason reason) {
      Rejected rejected = ALL.get(reason);
      if (rejected == null) {
        throw new AssertionError("no instance for " + reason);
      }
      return rejected;
    }

    @Override
    public boolean isAuthenticated() {
      return false;
    }

    /** Why the token was rejected; for audit and logs, not for the caller. */
    @JsonProperty
    public RejectionReason reason() {
      return reason;
    }

    @Override
    public String toString() {
      return "Rejected[" + reason + "]";
    }
  }
}
