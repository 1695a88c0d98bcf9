package dev.authcore.model;

import static com.google.common.base.Preconditions.checkArgument;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.errorprone.annotations.Immutable;
import dev.authcore.internal.Base62;
import java.util.Locale;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The public identifier of a token: 64 random bits, written as {@value #LENGTH} base62 characters.
 *
 * <p>An id is not a secret: it appears in listings, events and logs, and it is the part of a token
 * that the store is searched by. Knowing an id does not help to forge a token. Ids compare by value
 * and are immutable and thread-safe.
 *
 * <p>As JSON (Jackson 2 or 3, through the optional Jackson annotations) an id is its text form, a
 * string such as {@code "3kTMd9JXvQa"}, and is read back with {@link #parse(String)}.
 */
@Immutable
public final class TokenId implements Comparable<TokenId> {
  /** Number of characters of an id's text form. */
  public static final int LENGTH = Base62.LONG_WIDTH;

  private final long bits;

  private TokenId(long bits) {
    this.bits = bits;
  }

  /**
   * Draws a new random id.
   *
   * @param random a cryptographically strong generator
   */
  public static TokenId random(RandomGenerator random) {
    long bits;
    do {
      bits = random.nextLong();
    } while (bits == Base62.INVALID); // reserved: decoding uses it to signal failure
    return new TokenId(bits);
  }

  /**
   * Returns the id written as {@code text}.
   *
   * @throws InvalidInputException if {@code text} is not exactly {@value #LENGTH} base62 characters
   *     spelling an id; the message says where and why, without repeating the text
   */
  @JsonCreator
  public static TokenId parse(String text) {
    if (text.length() != LENGTH) {
      throw new InvalidInputException(
          "token id",
          "token id must be "
              + LENGTH
              + " base62 characters [0-9A-Za-z], got "
              + text.length()
              + " characters");
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      if (Base62.digit(c) < 0) {
        throw new InvalidInputException(
            "token id",
            String.format(
                Locale.ROOT,
                "token id must be %d base62 characters [0-9A-Za-z], found U+%04X at index %d",
                LENGTH,
                (int) c,
                i));
      }
    }
    @Nullable TokenId id = tryParse(text, 0);
    if (id == null) {
      throw new InvalidInputException(
          "token id",
          text.equals(RESERVED_TEXT)
              ? "token id 2^64 - 1 is reserved and never issued"
              : "token id is too large: its base62 value is 2^64 or more");
    }
    return id;
  }

  /** The text of 2^64 - 1, the reserved bits -1. */
  private static final String RESERVED_TEXT = "LygHa16AHYF";

  /**
   * Returns the id whose text starts at {@code from} in {@code text}, or {@code null} if those
   * characters do not spell an id. Does not check what follows.
   */
  public static @Nullable TokenId tryParse(CharSequence text, int from) {
    if (from < 0 || text.length() - from < LENGTH) {
      return null;
    }
    long bits = Base62.decodeUnsigned(text, from, LENGTH);
    return bits == Base62.INVALID ? null : new TokenId(bits);
  }

  /** Returns the id with the given 64 bits, as returned by {@link #asLong()}. */
  public static TokenId fromLong(long bits) {
    checkArgument(bits != Base62.INVALID, "token id bits -1 are reserved and never issued");
    return new TokenId(bits);
  }

  /** The id's 64 bits, for stores that keep ids as numbers. */
  public long asLong() {
    return bits;
  }

  /** Appends the text form to {@code out}. */
  public void appendTo(StringBuilder out) {
    Base62.appendUnsigned(out, bits, LENGTH);
  }

  @Override
  public int compareTo(TokenId other) {
    return Long.compareUnsigned(bits, other.bits);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof TokenId other && other.bits == bits;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bits);
  }

  /** The id's text form, {@value #LENGTH} base62 characters; also its JSON form. */
  @JsonValue
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(LENGTH);
    appendTo(out);
    return out.toString();
  }
}
