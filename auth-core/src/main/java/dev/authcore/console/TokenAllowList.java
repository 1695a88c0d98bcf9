package dev.authcore.console;

import java.util.List;
import java.util.Objects;

/**
 * A token's own IP allow list as saved by {@link TokenConsole#setAllowedIps}: its canonical text
 * and what the owner should know about it. Immutable.
 *
 * @param allowedIps the list now in force for the token, as canonical text (one entry per line,
 *     each ending in a newline); {@code ""} when the token has no list of its own
 * @param warnings lines that were accepted but change nothing or may mislead, and the part of the
 *     list that lies outside the corp's list and so can never match, each as one readable sentence
 *     (printable ASCII, safe to log); empty when there is nothing to say
 */
public record TokenAllowList(String allowedIps, List<String> warnings) {
  public TokenAllowList {
    Objects.requireNonNull(allowedIps, "allowedIps");
    warnings = List.copyOf(warnings);
  }
}
