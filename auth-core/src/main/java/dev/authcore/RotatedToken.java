package dev.authcore;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link TokenIssuer#rotate}: the token with its new secret, and until when its
 * previous secret keeps working. Like an {@link IssuedToken} it is the only object that ever holds
 * the new plaintext: show it once, then drop this object.
 *
 * <p>The plaintext is reached only through {@code token().revealPlaintext()}. {@link #toString()}
 * is redacted, equality is identity, and it is not serializable. As JSON (Jackson, through the
 * optional annotations) it is {@code {"token": {...}, "rotated", "previousValidUntil"}}, the token
 * as {@link IssuedToken} writes itself: never the plaintext.
 */
@JsonAutoDetect(
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE,
    fieldVisibility = JsonAutoDetect.Visibility.NONE,
    setterVisibility = JsonAutoDetect.Visibility.NONE,
    creatorVisibility = JsonAutoDetect.Visibility.NONE)
public final class RotatedToken {
  private final IssuedToken token;
  private final Instant rotated;
  private final @Nullable Instant previousValidUntil;

  RotatedToken(IssuedToken token, Instant rotated, @Nullable Instant previousValidUntil) {
    this.token = token;
    this.rotated = rotated;
    this.previousValidUntil = previousValidUntil;
  }

  /**
   * The token with its new secret: the same id, corp, owner, name, creation instant and own expiry
   * as before the rotation (expiry still counts from creation), and the new plaintext.
   */
  @JsonProperty
  public IssuedToken token() {
    return token;
  }

  /** When the secret was replaced (to the millisecond). */
  @JsonProperty
  public Instant rotated() {
    return rotated;
  }

  /**
   * Until when the previous secret keeps working, exclusive (it fails at this instant and after),
   * or {@code null} when the rotation gave no grace period and the previous secret stopped at once.
   */
  @JsonProperty
  public @Nullable Instant previousValidUntil() {
    return previousValidUntil;
  }

  /** Id, name and the grace period's end only; the plaintext is redacted. */
  @Override
  public String toString() {
    return "RotatedToken[id="
        + token.id()
        + ", name="
        + token.name()
        + ", token=<redacted>, previousValidUntil="
        + previousValidUntil
        + "]";
  }
}
