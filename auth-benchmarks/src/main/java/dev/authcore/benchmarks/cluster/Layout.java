package dev.authcore.benchmarks.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The corps and users of a cluster run, derived from one number (the tokens of the background
 * load), so that the users file the gateways start with and the driver agree without a second file.
 *
 * <ul>
 *   <li>{@code loadNN} corps: the background verifications. Each user holds its bootstrap token and
 *       {@link #CREATED_PER_LOAD_USER} more, all valid throughout; nothing changes in these corps.
 *   <li>{@code probedel}: users whose new tokens are created, warmed on every node and deleted.
 *   <li>{@code probeset}: an owner who restricts the corp to permitted users and lifts it again;
 *       its user {@code v1} is not permitted, so the restriction rejects v1's token.
 *   <li>{@code probeperm}: a corp restricted from the start whose owner revokes and grants again
 *       the permission of its user {@code w1}.
 *   <li>{@code usage}: users whose created tokens are used on the stopped node only.
 * </ul>
 */
final class Layout {
  /** Tokens a load user creates besides its bootstrap token (the per-user limit is 5). */
  static final int CREATED_PER_LOAD_USER = 3;

  static final int LOAD_CORPS = 10;

  static final int DELETION_USERS = 4;

  static final int USAGE_USERS = 25;

  /** Tokens each usage user creates; the bootstrap token is not counted, it is used elsewhere. */
  static final int CREATED_PER_USAGE_USER = 4;

  static final String DELETION_CORP = "probedel";
  static final String SETTINGS_CORP = "probeset";
  static final String PERMISSION_CORP = "probeperm";
  static final String USAGE_CORP = "usage";

  /** A line of the users file. */
  record User(String corp, String email, boolean owner) {
    String line() {
      return corp + " " + email + " " + (owner ? "OWNER" : "USER");
    }
  }

  final int loadUsers;

  /**
   * @param loadTokens the background load's tokens, rounded up to whole users
   */
  Layout(int loadTokens) {
    if (loadTokens < 1 || loadTokens > 100_000) {
      throw new IllegalArgumentException(
          "--tokens must be a whole number from 1 to 100000, got " + loadTokens);
    }
    int perUser = CREATED_PER_LOAD_USER + 1;
    this.loadUsers = (loadTokens + perUser - 1) / perUser;
  }

  /** The background load's tokens: bootstrap and created, of every load user. */
  int loadTokens() {
    return loadUsers * (CREATED_PER_LOAD_USER + 1);
  }

  static String owner(String corp) {
    return "owner@" + corp + ".example";
  }

  static String user(String name, String corp) {
    return name + "@" + corp + ".example";
  }

  static String loadCorp(int i) {
    return String.format(Locale.ROOT, "load%02d", i);
  }

  /** The load users, in order; user {@code i} is in corp {@code i % LOAD_CORPS}. */
  List<User> loadUsers() {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < loadUsers; i++) {
      String corp = loadCorp(i % LOAD_CORPS);
      users.add(new User(corp, user(String.format(Locale.ROOT, "u%05d", i), corp), false));
    }
    return users;
  }

  static List<String> deletionUsers() {
    List<String> users = new ArrayList<>();
    for (int i = 1; i <= DELETION_USERS; i++) {
      users.add(user("d" + i, DELETION_CORP));
    }
    return users;
  }

  static List<String> usageUsers() {
    List<String> users = new ArrayList<>();
    for (int i = 1; i <= USAGE_USERS; i++) {
      users.add(user("k" + i, USAGE_CORP));
    }
    return users;
  }

  static String settingsUser() {
    return user("v1", SETTINGS_CORP);
  }

  static String permissionUser() {
    return user("w1", PERMISSION_CORP);
  }

  /** Every user, as the gateways' users file lists them. */
  List<User> all() {
    List<User> users = new ArrayList<>();
    for (int c = 0; c < Math.min(LOAD_CORPS, loadUsers); c++) {
      users.add(new User(loadCorp(c), owner(loadCorp(c)), true));
    }
    users.addAll(loadUsers());
    users.add(new User(DELETION_CORP, owner(DELETION_CORP), true));
    for (String email : deletionUsers()) {
      users.add(new User(DELETION_CORP, email, false));
    }
    users.add(new User(SETTINGS_CORP, owner(SETTINGS_CORP), true));
    users.add(new User(SETTINGS_CORP, settingsUser(), false));
    users.add(new User(PERMISSION_CORP, owner(PERMISSION_CORP), true));
    users.add(new User(PERMISSION_CORP, permissionUser(), false));
    users.add(new User(USAGE_CORP, owner(USAGE_CORP), true));
    for (String email : usageUsers()) {
      users.add(new User(USAGE_CORP, email, false));
    }
    return users;
  }
}
