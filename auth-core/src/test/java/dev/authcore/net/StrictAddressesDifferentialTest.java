package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.authcore.net.AddressText.Invalid;
import dev.authcore.net.AddressText.Parsed;
import inet.ipaddr.IPAddress;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two readers of address text agree: the hand-written one ({@link AddressText#parse}, behind
 * {@link ClientAddresses#parse} and the forwarded headers, kept on the request path because it is
 * faster) and the IPAddress library under {@link StrictAddresses#PARAMETERS}, behind the character
 * screen of {@link StrictAddresses#library} (behind allow lists). On every generated text both
 * accept or both refuse, and what they accept is the same address.
 *
 * <p>Texts are address spellings (IPv4, IPv6 with and without {@code ::}, dotted tails, mapped
 * addresses, leading zeros, hex, too few or too many parts) with up to two random character edits
 * from an alphabet of near misses; about half are valid. Seeded and reproducible: the seed is
 * fixed, or set with {@code -Dauthcore.seed=<seed>}.
 */
@Tag("differential")
class StrictAddressesDifferentialTest {

  private static final int CASES = 60_000;
  private static final long SEED = Long.getLong("authcore.seed", 20_250_601L);
  private static final String EDITS = "0123456789abcdefABCDEFxX:..::%*-/_ g\u0661\uFF11";
  private static final String ZONE_CHARACTERS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

  @Test
  void handWrittenReader_agreesWithIpAddress() {
    SplittableRandom random = new SplittableRandom(SEED);
    int[] accepted = new int[4]; // IPv4, IPv6, IPv6 with a dotted tail, IPv4-mapped
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      String text = generate(random);
      @Nullable Parsed ours = handWritten(text);
      @Nullable IPAddress library = library(text);
      if ((ours == null) != (library == null)) {
        fail(where(i, text) + (ours == null ? "only IPAddress accepts" : "only ours accepts"));
      }
      if (ours == null || library == null) {
        refused++;
        continue;
      }
      if (!Arrays.equals(
          AddressText.toBytes(ours.ipv6(), ours.hi(), ours.lo()), library.getBytes())) {
        fail(where(i, text) + "ours reads " + ours + ", IPAddress " + library);
      }
      accepted[!ours.ipv6() ? 0 : ours.isMapped() ? 3 : ours.dottedTail() ? 2 : 1]++;
    }
    assertThat(refused).isGreaterThan(CASES / 4);
    assertThat(accepted[0]).isGreaterThan(CASES / 10);
    assertThat(accepted[1]).isGreaterThan(CASES / 10);
    assertThat(accepted[2]).isGreaterThan(CASES / 100);
    assertThat(accepted[3]).isGreaterThan(CASES / 100);
  }

  @Test
  void allowListReader_readsAndRefusesAsTheHandWrittenReader() {
    // What allow lists read through IPAddress is what they read before: the same value and
    // dotted-tail flag, or the same reason.
    SplittableRandom random = new SplittableRandom(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      String text = generate(random);
      String ours = outcome(() -> AddressText.parse(text, 0, text.length()));
      String strict = outcome(() -> StrictAddresses.parse(text, 0, text.length()));
      if (!ours.equals(strict)) {
        fail(where(i, text) + "hand-written: " + ours + "; IPAddress: " + strict);
      }
    }
  }

  @Test
  void clientAddressesParse_agreesWithIpAddress_zonesAside() {
    SplittableRandom random = new SplittableRandom(SEED + 2);
    int accepted = 0;
    int zoned = 0;
    for (int i = 0; i < CASES; i++) {
      String text = generate(random) + (random.nextInt(8) == 0 ? zone(random) : "");
      @Nullable InetAddress ours = client(text);
      // Zones aside: ours checks a zone id (1 to 32 letters, digits, '.', '_', '-'), then drops it;
      // only IPv6 has one. The address before it must be what IPAddress accepts.
      int percent = text.indexOf('%');
      String zone = percent < 0 ? "" : text.substring(percent + 1);
      @Nullable IPAddress library = library(percent < 0 ? text : text.substring(0, percent));
      boolean libraryAccepts =
          library != null && (percent < 0 || (library.isIPv6() && wellFormedZone(zone)));
      if ((ours != null) != libraryAccepts) {
        fail(where(i, text) + (ours == null ? "only IPAddress accepts" : "only ours accepts"));
      }
      if (ours == null || library == null) {
        continue;
      }
      accepted++;
      zoned += percent < 0 ? 0 : 1;
      byte[] expected = folded(library.getBytes());
      if (!Arrays.equals(ours.getAddress(), expected)) {
        fail(where(i, text) + "ours reads " + ours + ", IPAddress " + library);
      }
    }
    assertThat(accepted).isGreaterThan(CASES / 4);
    assertThat(zoned).isGreaterThan(CASES / 100);
  }

  // ---------------------------------------------------------------- the readers

  private static @Nullable Parsed handWritten(String text) {
    try {
      return AddressText.parse(text, 0, text.length());
    } catch (Invalid e) {
      return null;
    }
  }

  /** IPAddress under the strict parameters, behind the screen that keeps trimmed text out. */
  private static @Nullable IPAddress library(String text) {
    return StrictAddresses.library(text, 0, text.length());
  }

  private static @Nullable InetAddress client(String text) {
    try {
      return ClientAddresses.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private interface Reader {
    Parsed read() throws Invalid;
  }

  private static String outcome(Reader reader) {
    try {
      return "accepts " + reader.read();
    } catch (Invalid e) {
      return "refuses: " + e.getMessage();
    }
  }

  /** IPv4-mapped bytes as the IPv4 address, as client addresses are normalised. */
  private static byte[] folded(byte[] bytes) {
    if (bytes.length == 16
        && Arrays.equals(bytes, 0, 12, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1}, 0, 12)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static String where(int index, String text) {
    return "case " + index + " (seed " + SEED + ") '" + text + "': ";
  }

  // ---------------------------------------------------------------- generated text

  private static String generate(SplittableRandom r) {
    String base =
        switch (r.nextInt(10)) {
          case 0, 1, 2, 3 -> ipv4(r);
          case 4 -> "::ffff:" + ipv4(r);
          default -> ipv6(r);
        };
    StringBuilder sb = new StringBuilder(base);
    for (int edits = r.nextInt(-2, 3); edits > 0 && sb.length() > 0; edits--) {
      int at = r.nextInt(sb.length());
      char c = EDITS.charAt(r.nextInt(EDITS.length()));
      switch (r.nextInt(3)) {
        case 0 -> sb.insert(at, c);
        case 1 -> sb.deleteCharAt(at);
        default -> sb.setCharAt(at, c);
      }
    }
    return sb.toString();
  }

  private static String ipv4(SplittableRandom r) {
    int parts = r.nextInt(10) == 0 ? r.nextInt(1, 7) : 4;
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < parts; p++) {
      if (p > 0) {
        sb.append('.');
      }
      int value = r.nextInt(20) == 0 ? r.nextInt(256, 1000) : r.nextInt(256);
      switch (r.nextInt(40)) {
        case 0 -> sb.append('0').append(value);
        case 1 -> sb.append("0x").append(Integer.toHexString(value));
        case 2 -> sb.append("");
        default -> sb.append(value);
      }
    }
    return sb.toString();
  }

  private static String ipv6(SplittableRandom r) {
    int groups = r.nextInt(12) == 0 ? r.nextInt(6, 10) : 8;
    boolean dotted = r.nextInt(5) == 0;
    String[] parts = new String[groups - (dotted ? 2 : 0)];
    for (int g = 0; g < parts.length; g++) {
      parts[g] = group(r);
    }
    StringBuilder sb = new StringBuilder();
    // A run of 0 to 3 groups replaced by "::" (0 groups, or a run of non-zero groups: invalid).
    int runStart = r.nextBoolean() ? r.nextInt(parts.length + 1) : -1;
    int runEnd = runStart < 0 ? -1 : Math.min(parts.length, runStart + r.nextInt(4));
    for (int g = 0; g < parts.length; g++) {
      if (g == runStart) {
        sb.append("::");
        if (runEnd > runStart) {
          g = runEnd - 1;
          continue;
        }
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(parts[g]);
    }
    if (runStart == parts.length) {
      sb.append("::");
    }
    if (dotted) {
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(ipv4(r));
    }
    return sb.toString();
  }

  private static String group(SplittableRandom r) {
    int value = r.nextInt(4) == 0 ? 0 : r.nextInt(0x10000);
    String hex = Integer.toHexString(value);
    hex =
        switch (r.nextInt(4)) {
          case 0 -> hex.toUpperCase(Locale.ROOT);
          case 1 -> "0".repeat(4 - hex.length()) + hex;
          default -> hex;
        };
    return r.nextInt(30) == 0 ? "0" + "0".repeat(4 - Math.min(4, hex.length())) + hex : hex;
  }

  private static boolean wellFormedZone(String zone) {
    return !zone.isEmpty()
        && zone.length() <= 32
        && zone.chars().allMatch(c -> ZONE_CHARACTERS.indexOf(c) >= 0);
  }

  private static String zone(SplittableRandom r) {
    StringBuilder sb = new StringBuilder("%");
    for (int i = r.nextInt(1, 33); i > 0; i--) {
      sb.append(ZONE_CHARACTERS.charAt(r.nextInt(ZONE_CHARACTERS.length())));
    }
    return sb.toString();
  }
}
