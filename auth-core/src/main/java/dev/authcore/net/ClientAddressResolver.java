package dev.authcore.net;

import dev.authcore.net.AddressText.Invalid;
import dev.authcore.net.AddressText.Parsed;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client's address for a gateway behind load balancers or reverse proxies, from the
 * socket peer and the forwarding header its own proxies write.
 *
 * <h2>How</h2>
 *
 * A resolver is built with the ranges of the proxies the gateway trusts and the one header they
 * write: {@code X-Forwarded-For} ({@link #trustingXForwardedFor}) or the standard {@code Forwarded}
 * of RFC 7239 ({@link #trustingForwarded}). {@link #resolve} then:
 *
 * <ol>
 *   <li>returns the peer itself when the peer is not a trusted proxy: its headers are ignored,
 *       since anyone can send them;
 *   <li>otherwise walks that header's addresses from the right (the last header line first, each
 *       comma-separated list from its end), skipping trusted proxies, and returns the first address
 *       that is not trusted;
 *   <li>returns empty, meaning reject, when the entry where the client should be is not a
 *       well-formed address (garbage, an empty list element, {@code unknown}, an obfuscated
 *       identifier such as {@code _hidden}), or after more than 64 trusted hops. It never guesses
 *       further left: the entries further left were written by the client and prove nothing;
 *   <li>returns the peer when the header is absent or blank, and the leftmost address when every
 *       address in the header is a trusted proxy (a request that started inside the proxy ranges:
 *       each of those entries was written by a trusted proxy).
 * </ol>
 *
 * <p><b>Both headers present:</b> only the configured one is read, and the other is ignored
 * entirely, whatever it says. A header that the gateway's proxies do not write reaches the gateway
 * exactly as the client sent it, so preferring it (or merging the two) would let any client choose
 * its own address. Both are parameters only so that a gateway can pass what it received without
 * knowing which header is configured.
 *
 * <p>Accepted forms. {@code X-Forwarded-For}: a comma-separated list of {@code 192.0.2.1}, {@code
 * 192.0.2.1:443}, {@code 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:443}, with
 * optional spaces or tabs around elements. {@code Forwarded}: comma-separated elements of
 * semicolon-separated {@code name=value} pairs, names case-insensitive, values tokens or quoted
 * strings with backslash escapes; the {@code for} parameter (exactly one per element) is {@code
 * 192.0.2.1}, {@code "192.0.2.1:4711"}, {@code "[2001:db8:cafe::17]"} or {@code
 * "[2001:db8:cafe::17]:4711"}; other parameters ({@code by}, {@code proto}, {@code host}) are
 * ignored. Addresses are parsed as strictly as by {@link ClientAddresses#parse(String)}, without
 * zone ids; ports are checked (0-65535) and dropped.
 *
 * <p>The result is normalised as by {@link ClientAddresses#normalize(InetAddress)}: an IPv4-mapped
 * address comes back as IPv4, without scope. Trusted-proxy matching sees IPv4-mapped peers and
 * entries as IPv4, exactly like {@link IpAllowList#allows(InetAddress)}.
 *
 * <p><b>An empty trusted list trusts no proxy</b>: then the peer is always the client and headers
 * are never read. (This is the opposite of an empty {@link IpAllowList} as an allow list, where
 * empty means everyone is allowed.)
 *
 * <h2>Guarantees and limits</h2>
 *
 * Immutable and thread-safe; no DNS; work per call is bounded (at most 64 hops of at most 256
 * characters are examined). It protects against clients that forge forwarding headers, provided
 * that the trusted ranges contain only proxies that append to the configured header (or overwrite
 * it) and that the gateway is not reachable around them. It cannot protect a gateway whose trusted
 * ranges include hosts that forward client headers unchanged, or that trusts a range clients can
 * send from (a shared cloud or CDN range that is not exclusively yours).
 */
public final class ClientAddressResolver {

  private static final int MAX_HOPS = 64;
  private static final int MAX_ELEMENT_LENGTH = 256;
  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private enum Header {
    X_FORWARDED_FOR,
    FORWARDED
  }

  private final IpAllowList trustedProxies;
  private final RangeMatcher trusted;
  private final Header header;

  private ClientAddressResolver(IpAllowList trustedProxies, Header header) {
    this.trustedProxies = trustedProxies;
    this.trusted = trustedProxies.matcher();
    this.header = header;
  }

  /**
   * A resolver for proxies in {@code trustedProxies} that append the address they received a
   * request from to {@code X-Forwarded-For}. An empty list trusts no proxy.
   */
  public static ClientAddressResolver trustingXForwardedFor(IpAllowList trustedProxies) {
    return new ClientAddressResolver(
        Objects.requireNonNull(trustedProxies, "trustedProxies"), Header.X_FORWARDED_FOR);
  }

  /**
   * A resolver for proxies in {@code trustedProxies} that append a {@code for=} element to the
   * {@code Forwarded} header (RFC 7239). An empty list trusts no proxy.
   */
  public static ClientAddressResolver trustingForwarded(IpAllowList trustedProxies) {
    return new ClientAddressResolver(
        Objects.requireNonNull(trustedProxies, "trustedProxies"), Header.FORWARDED);
  }

  /**
   * The client's address, or empty when the request must be rejected because the address where the
   * client should be cannot be read.
   *
   * @param peer the socket peer address (the TCP connection's remote address)
   * @param xForwardedFor the {@code X-Forwarded-For} header lines as received, in order; empty when
   *     absent
   * @param forwarded the {@code Forwarded} header lines as received, in order; empty when absent
   * @return the normalised client address, or empty to reject
   */
  public Optional<InetAddress> resolve(
      InetAddress peer, List<String> xForwardedFor, List<String> forwarded) {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(xForwardedFor, "xForwardedFor");
    Objects.requireNonNull(forwarded, "forwarded");
    InetAddress client = ClientAddresses.normalize(peer);
    if (!trusted.contains(client)) {
      return Optional.of(client);
    }
    List<String> lines = header == Header.X_FORWARDED_FOR ? xForwardedFor : forwarded;
    @Nullable Parsed leftmost = null;
    int hops = 0;
    for (int li = lines.size() - 1; li >= 0; li--) {
      String line = lines.get(li);
      if (isBlank(line)) {
        continue;
      }
      int end = line.length();
      while (true) {
        if (++hops > MAX_HOPS) {
          return Optional.empty();
        }
        int start =
            header == Header.X_FORWARDED_FOR ? xffStart(line, end) : forwardedStart(line, end);
        if (start < 0) {
          return Optional.empty();
        }
        Parsed hop;
        try {
          hop =
              header == Header.X_FORWARDED_FOR
                  ? xffElement(line, start, end)
                  : forwardedElement(line, start, end);
        } catch (Invalid e) {
          return Optional.empty();
        }
        boolean isTrusted =
            hop.ipv6()
                ? trusted.containsIpv6(hop.hi(), hop.lo())
                : trusted.containsIpv4((int) hop.lo());
        if (!isTrusted) {
          return Optional.of(ClientAddresses.toInetAddress(hop.ipv6(), hop.hi(), hop.lo()));
        }
        leftmost = hop;
        if (start == 0) {
          break;
        }
        end = start - 1; // the comma before this element
      }
    }
    if (leftmost == null) {
      return Optional.of(client);
    }
    return Optional.of(
        ClientAddresses.toInetAddress(leftmost.ipv6(), leftmost.hi(), leftmost.lo()));
  }

  private static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != ' ' && s.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Start of the X-Forwarded-For element ending at {@code end}; -1 if it is too long. */
  private static int xffStart(String line, int end) {
    for (int i = end - 1; i >= 0; i--) {
      if (end - i > MAX_ELEMENT_LENGTH) {
        return -1;
      }
      if (line.charAt(i) == ',') {
        return i + 1;
      }
    }
    return end > MAX_ELEMENT_LENGTH ? -1 : 0;
  }

  /**
   * Start of the Forwarded element ending at {@code end}, skipping commas inside quoted strings; -1
   * if it is too long or a quote is unbalanced. The element is then validated forwards.
   */
  private static int forwardedStart(String line, int end) {
    boolean quoted = false;
    for (int i = end - 1; i >= 0; i--) {
      if (end - i > MAX_ELEMENT_LENGTH) {
        return -1;
      }
      char c = line.charAt(i);
      if (c == '"') {
        if (!quoted) {
          quoted = true;
        } else {
          int backslashes = 0;
          for (int j = i - 1; j >= 0 && line.charAt(j) == '\\'; j--) {
            backslashes++;
          }
          quoted = backslashes % 2 != 0; // an escaped quote stays inside the string
        }
      } else if (c == ',' && !quoted) {
        return i + 1;
      }
    }
    return quoted || end > MAX_ELEMENT_LENGTH ? -1 : 0;
  }

  private static Parsed xffElement(String line, int from, int to) throws Invalid {
    int[] span = trimOws(line, from, to);
    int a = span[0];
    int b = span[1];
    if (a == b) {
      throw new Invalid("empty element");
    }
    if (line.charAt(a) == '[') {
      return bracketed(line, a, b);
    }
    int colon = line.indexOf(':', a);
    if (colon >= 0 && colon < b) {
      int second = line.indexOf(':', colon + 1);
      if (second < 0 || second >= b) {
        // exactly one colon: IPv4 with a port (IPv6 has at least two)
        checkPort(line, colon + 1, b);
        return ipv4Only(line, a, colon);
      }
    }
    return ClientAddresses.parseBits(line, a, b, false);
  }

  private static Parsed forwardedElement(String line, int from, int to) throws Invalid {
    @Nullable String forValue = null;
    int i = from;
    while (i <= to) {
      int[] pair = nextPair(line, i, to);
      int a = pair[0];
      int b = pair[1];
      if (a < b) {
        int eq = line.indexOf('=', a);
        if (eq < 0 || eq >= b || eq == a) {
          throw new Invalid("a Forwarded pair is name=value");
        }
        for (int k = a; k < eq; k++) {
          if (!isTokenChar(line.charAt(k))) {
            throw new Invalid("bad parameter name");
          }
        }
        String value = value(line, eq + 1, b);
        if (line.substring(a, eq).toLowerCase(Locale.ROOT).equals("for")) {
          if (forValue != null) {
            throw new Invalid("more than one for= in an element");
          }
          forValue = value;
        }
      }
      i = pair[2] + 1;
    }
    if (forValue == null) {
      throw new Invalid("no for= in the element");
    }
    return node(forValue);
  }

  /**
   * The pair starting at {@code from}: {@code [start, end, separator]} where separator is the index
   * of the ';' after it (or {@code to}), start and end trimmed of spaces and tabs.
   */
  private static int[] nextPair(String line, int from, int to) throws Invalid {
    boolean quoted = false;
    int i = from;
    for (; i < to; i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ';' && !quoted) {
        break;
      }
    }
    if (quoted) {
      throw new Invalid("unterminated quoted string");
    }
    int[] span = trimOws(line, from, Math.min(i, to));
    return new int[] {span[0], span[1], i};
  }

  private static String value(String line, int from, int to) throws Invalid {
    if (from == to) {
      throw new Invalid("empty value");
    }
    if (line.charAt(from) != '"') {
      for (int k = from; k < to; k++) {
        if (!isTokenChar(line.charAt(k))) {
          throw new Invalid("a value with this character must be quoted");
        }
      }
      return line.substring(from, to);
    }
    StringBuilder sb = new StringBuilder(to - from);
    int k = from + 1;
    for (; k < to; k++) {
      char c = line.charAt(k);
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        k++;
        if (k == to) {
          throw new Invalid("unterminated escape");
        }
        c = line.charAt(k);
      }
      if ((c < 0x20 && c != '\t') || c >= 0x7F) {
        throw new Invalid("control or non-ASCII character in a quoted string");
      }
      sb.append(c);
    }
    if (k != to - 1) {
      throw new Invalid("text after a quoted string, or no closing quote");
    }
    return sb.toString();
  }

  /** A Forwarded node: IPv4, or IPv6 in brackets, each with an optional port. */
  private static Parsed node(String v) throws Invalid {
    if (v.isEmpty()) {
      throw new Invalid("empty for=");
    }
    if (v.charAt(0) == '[') {
      return bracketed(v, 0, v.length());
    }
    if (v.equalsIgnoreCase("unknown") || v.charAt(0) == '_') {
      throw new Invalid("unknown or obfuscated node: the client cannot be identified");
    }
    int colon = v.indexOf(':');
    if (colon < 0) {
      return ipv4Only(v, 0, v.length());
    }
    if (v.indexOf(':', colon + 1) >= 0) {
      throw new Invalid("an IPv6 node must be in brackets");
    }
    checkPort(v, colon + 1, v.length());
    return ipv4Only(v, 0, colon);
  }

  /** {@code [IPv6]} or {@code [IPv6]:port} in {@code s[from, to)}. */
  private static Parsed bracketed(String s, int from, int to) throws Invalid {
    int close = s.indexOf(']', from);
    if (close < 0 || close >= to) {
      throw new Invalid("no closing bracket");
    }
    int colon = s.indexOf(':', from);
    if (colon < 0 || colon > close) {
      throw new Invalid("brackets hold IPv6 addresses only");
    }
    if (close + 1 < to) {
      if (s.charAt(close + 1) != ':') {
        throw new Invalid("text after the closing bracket");
      }
      checkPort(s, close + 2, to);
    }
    return ClientAddresses.parseBits(s, from + 1, close, false);
  }

  private static Parsed ipv4Only(String s, int from, int to) throws Invalid {
    for (int k = from; k < to; k++) {
      if (s.charAt(k) == ':') {
        throw new Invalid("an IPv6 address with a port must be in brackets");
      }
    }
    return ClientAddresses.parseBits(s, from, to, false);
  }

  /** A decimal port 0-65535, or an obfuscated port {@code _x}, both dropped. */
  private static void checkPort(String s, int from, int to) throws Invalid {
    if (from >= to || to - from > 16) {
      throw new Invalid("bad port");
    }
    if (s.charAt(from) == '_') {
      for (int k = from + 1; k < to; k++) {
        char c = s.charAt(k);
        if (!AddressText.isAsciiLetter(c)
            && !AddressText.isAsciiDigit(c)
            && c != '.'
            && c != '_'
            && c != '-') {
          throw new Invalid("bad obfuscated port");
        }
      }
      return;
    }
    if (to - from > 5) {
      throw new Invalid("port out of range");
    }
    int port = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (!AddressText.isAsciiDigit(c)) {
        throw new Invalid("port is not a number");
      }
      port = port * 10 + (c - '0');
    }
    if (port > 65535) {
      throw new Invalid("port out of range");
    }
  }

  private static int[] trimOws(String s, int from, int to) {
    int a = from;
    int b = to;
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return new int[] {a, b};
  }

  private static boolean isTokenChar(char c) {
    return AddressText.isAsciiLetter(c)
        || AddressText.isAsciiDigit(c)
        || TOKEN_SYMBOLS.indexOf(c) >= 0;
  }

  /** Names the header read and the trusted proxies, e.g. for a startup log line. */
  @Override
  public String toString() {
    return "ClientAddressResolver[reads "
        + (header == Header.X_FORWARDED_FOR ? "X-Forwarded-For" : "Forwarded")
        + ", trusts "
        + (trustedProxies.isEmpty() ? "no proxy" : trustedProxies.toString())
        + "]";
  }
}
