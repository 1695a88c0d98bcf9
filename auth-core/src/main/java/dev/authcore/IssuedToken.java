package dev.authcore;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.authcore.model.TokenId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A newly issued token, the only object that ever holds its plaintext. Show the plaintext to the
 * user once, then drop this object: auth-core keeps only a hash and can never show it again.
 *
 * <p>The plaintext is reachable through one loudly named accessor, {@link #revealPlaintext()}, so
 * every place that touches it can be found with a search. {@link #toString()} is redacted. Equality
 * is identity: two issued tokens are never "equal", and comparing secrets with {@code equals}
 * (which is not constant-time) is impossible by construction. Not serializable.
 *
 * <p>As JSON (Jackson 3 with its defaults, through the optional Jackson annotations) it is {@code
 * {"id", "corp", "ownerEmail", "name", "created", "expiresAt"}} and <b>never the plaintext</b>,
 * whatever visibility a mapper is configured with: a response that must show the token once adds
 * {@link #revealPlaintext()} itself, by name, where a search finds it.
 */
@JsonAutoDetect(
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE,
    fieldVisibility = JsonAutoDetect.Visibility.NONE,
    setterVisibility = JsonAutoDetect.Visibility.NONE,
    creatorVisibility = JsonAutoDetect.Visibility.NONE)
@JsonIgnoreProperties(value = "plaintext", allowSetters = false)
public final class IssuedToken {
  private final TokenId id;
  private final String corp;
  private final String ownerEmail;
  private final String name;
  private final Instant created;
  private final @Nullable Instant expiresAt;
  private final String plaintext;

  IssuedToken(
      TokenId id,
      String corp,
      String ownerEmail,
      String name,
      Instant created,
      @Nullable Instant expiresAt,
      String plaintext) {
    this.id = id;
    this.corp = corp;
    this.ownerEmail = ownerEmail;
    this.name = name;
    this.created = created;
    this.expiresAt = expiresAt;
    this.plaintext = plaintext;
  }

  /** The token's public id. */
  @JsonProperty
  public TokenId id() {
    return id;
  }

  /** The owner's corp. */
  @JsonProperty
  public String corp() {
    return corp;
  }

  /** The owner's email. */
  @JsonProperty
  public String ownerEmail() {
    return ownerEmail;
  }

  /** The name, trimmed. */
  @JsonProperty
  public String name() {
    return name;
  }

  /** When it was issued (to the millisecond). */
  @JsonProperty
  public Instant created() {
    return created;
  }

  /**
   * The token's own expiry, if one was asked for at issue; the corp's policy may expire it earlier
   * (see {@code TokenConsole} listings for the effective expiry).
   */
  @JsonProperty
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  /**
   * The full token text, {@code <prefix>_<id><secret><checksum>}, to show the user once. Never log
   * it, store it, or put it in a message.
   */
  @JsonIgnore
  public String revealPlaintext() {
    return plaintext;
  }

  /** Id and name only; the plaintext is redacted. */
  @Override
  public String toString() {
    return "IssuedToken[id=" + id + ", name=" + name + ", token=<redacted>]";
  }
}
