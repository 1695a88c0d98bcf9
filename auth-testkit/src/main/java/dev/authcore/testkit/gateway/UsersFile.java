package dev.authcore.testkit.gateway;

import com.google.common.base.Ascii;
import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the gateway's users file: one user a line, {@code <corp> <email> <OWNER|USER>}, separated
 * by spaces or tabs; blank lines and lines starting with {@code #} are ignored. Every bad line is
 * reported at once, with its number.
 */
final class UsersFile {
  /** The users when no file is given: corp {@code demo} with owner {@code owner@example.com}. */
  static final List<UserAccount> DEMO =
      List.of(new UserAccount("demo", "owner@example.com", Role.OWNER));

  private UsersFile() {}

  /**
   * The users of {@code file}, in file order.
   *
   * @throws UsageException if the file cannot be read, has a bad line, repeats an email or has no
   *     user
   */
  static List<UserAccount> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new UsageException("--users " + file + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new UsageException("--users " + file + ": cannot read it (" + e + ")", e);
    }
    return parse(text, "--users " + file);
  }

  /**
   * The role named {@code text} in any ASCII case, or {@code null}. Not {@code toUpperCase}: it
   * would read "u&#x17F;er" (with a long s) as {@code USER}.
   */
  private static @Nullable Role role(String text) {
    for (Role role : Role.values()) {
      if (Ascii.equalsIgnoreCase(role.name(), text)) {
        return role;
      }
    }
    return null;
  }

  /** The users in {@code text}; {@code source} names it in messages. */
  static List<UserAccount> parse(String text, String source) {
    List<UserAccount> users = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> emails = new HashSet<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("[ \t]+", -1);
      String where = "line " + (n + 1);
      if (fields.length != 3) {
        problems.add(
            where + ": expected '<corp> <email> <OWNER|USER>', got " + fields.length + " fields");
        continue;
      }
      @Nullable Role role = role(fields[2]);
      if (role == null) {
        problems.add(
            where
                + ": role must be OWNER or USER, got '"
                + GatewayOptions.printable(fields[2])
                + "'");
        continue;
      }
      UserAccount user;
      try {
        user = new UserAccount(fields[0], fields[1], role);
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
        continue;
      }
      if (!emails.add(user.emailKey())) {
        problems.add(where + ": " + user.email() + " appears twice (emails ignore ASCII case)");
        continue;
      }
      users.add(user);
    }
    if (!problems.isEmpty()) {
      throw new UsageException(source + ":\n  " + String.join("\n  ", problems));
    }
    if (users.isEmpty()) {
      throw new UsageException(source + ": no users; add lines '<corp> <email> <OWNER|USER>'");
    }
    return List.copyOf(users);
  }
}
