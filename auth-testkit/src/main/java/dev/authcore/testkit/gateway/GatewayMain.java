package dev.authcore.testkit.gateway;

import java.io.IOException;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/**
 * The reference gateway: auth-core's console API over HTTP, for plain clients such as {@code curl}.
 *
 * <pre>
 * java -jar auth-testkit/target/auth-gateway.jar [--port N] [--users FILE] [--tokens-out FILE]
 *     [--trusted-proxy CIDR]... [--fake-clock] [--audit-log FILE] [--jdbc-url URL]
 * </pre>
 *
 * <p>{@code --jdbc-url} keeps tokens in PostgreSQL instead of memory (see {@code GatewayStores}):
 * the schema is applied at start, gateways on one database share tokens and hear of each other's
 * deletions and policy changes through {@code LISTEN/NOTIFY}, and a restart replaces only the
 * {@code bootstrap} tokens, whose plaintext died with the previous process.
 *
 * <h2>Start</h2>
 *
 * It listens on 127.0.0.1 only, port 8080 unless {@code --port} says otherwise (0 picks a free
 * port). Users come from {@code --users FILE}, one a line, {@code <corp> <email> <OWNER|USER>}
 * (blank lines and {@code #} comments ignored); without it, corp {@code demo} with owner {@code
 * owner@example.com}. The store is the embedded in-memory one: nothing survives a restart. At start
 * it issues each user one token named {@code bootstrap} and writes {@code <email> <token>} lines to
 * {@code --tokens-out FILE} (created readable by its owner only) or standard output; then prints to
 * standard output the {@code curl} command that calls {@code GET /api/v0/corps} with the first
 * user's credentials, and {@code listening on http://127.0.0.1:<port>}. Audit events go to standard
 * error as JSON lines, or to {@code --audit-log FILE}. A bad command line prints what is wrong and
 * the usage to standard error and exits with status 2; a failure to start (port taken) exits with
 * status 1.
 *
 * <h2>Requests</h2>
 *
 * Every endpoint authenticates the caller with the {@code x-api-user} and {@code x-api-token}
 * headers, checked by auth-core against the client address (the socket peer; see {@code
 * --trusted-proxy} below). Any rejection is {@code 401 {"error":"unauthorized"}}, the same whatever
 * the reason; the reason is in the audit log. Bodies are JSON; unknown fields are refused. Instants
 * are ISO-8601 UTC; absent values are {@code null}. A token belongs in {@code x-api-token} only:
 * error bodies and the audit log redact anything token-like that a caller put elsewhere, and the
 * JDK HTTP server's logger, which would write request lines (a token put in a URL) at DEBUG, is
 * held at INFO.
 *
 * <ul>
 *   <li>{@code GET /api/v0/corps} → {@code {"data":[{"name","displayName","created"}]}}, the
 *       caller's corp. The gateway keeps no corp records: the display name is the corp's name, and
 *       {@code created} is when this gateway started (for corps of the users file) or first saw the
 *       corp.
 *   <li>{@code POST /api/v0/me/tokens} {@code {"name":"ci","expiresInDays":30}} ({@code
 *       expiresInDays} optional, 1 to 3650) → {@code 201
 *       {"id","name","token","created","expires"}}, the only response that ever holds a token;
 *       {@code expires} is the effective expiry under the corp's policy. A name the caller already
 *       uses (ignoring case) or a sixth token (more than the limit of 5) → {@code 400}.
 *   <li>{@code GET /api/v0/me/tokens} → {@code {"data":[row...]}}; {@code DELETE
 *       /api/v0/me/tokens/{id}} → {@code 204} (another user's token → {@code 404}).
 *   <li>Owners: {@code GET /api/v0/corps/{corp}/tokens?status=&creator=&name=&limit=&cursor=} →
 *       {@code {"data":[row...],"next":cursor-or-null}}; a row is {@code
 *       {"id","name","creator","created","expires","status","lastUsed","ips"}}, {@code status} one
 *       of {@code ACTIVE}, {@code EXPIRED}, {@code DISABLED}.
 *   <li>Owners: {@code DELETE /api/v0/corps/{corp}/tokens/{id}} → {@code 204}.
 *   <li>Owners: {@code GET} and {@code PUT /api/v0/corps/{corp}/tokenSettings} with {@code
 *       {"expiryDays": null-or-days, "restricted": bool, "allowedIps": "one\nentry\nper line"}}
 *       (all three required on {@code PUT}, which answers the settings now in force). A bad allow
 *       list → {@code 400} whose {@code details} are {@code [{"line","text","reason"}]}, and
 *       nothing changes. A change that could lock the corp out (restricting while no owner holds
 *       the token permission, or an allow list that refuses the calling owner's own address) →
 *       {@code 409} whose {@code details} are the preview's warnings, and nothing changes, unless
 *       the body also holds {@code "confirmLockout": true}.
 *   <li>Owners: {@code POST /api/v0/corps/{corp}/tokenSettings/preview} with the same body → {@code
 *       {"wouldExpire":[row...],"wouldBeDisabled":[...],"wouldBeBlocked":[...],"wouldComeBack":[...],
 *       "warnings":[text...]}}; nothing changes.
 *   <li>Owners: {@code PUT /api/v0/corps/{corp}/users/{email}/tokenPermission} {@code
 *       {"allowed":bool}} → {@code 204}. Revoking the permission of the last owner holding it in a
 *       restricted corp → {@code 409} with the warning in {@code details}, unless the body also
 *       holds {@code "confirmLockout": true}.
 *   <li>With {@code --fake-clock} only: {@code POST /api/v0/_clock} {@code {"advance":"P60D"}}
 *       (ISO-8601 duration, not negative) → {@code {"now":instant}}; without the flag the path is
 *       {@code 404}.
 * </ul>
 *
 * <p>Errors: bad input → {@code 400 {"error":"...","details":[...]}}; a non-owner on an owner
 * endpoint → {@code 403}; a {@code {corp}} that is not the caller's corp → {@code 404} (so the
 * names of other corps are not confirmed); an unknown token or path → {@code 404}; a method not
 * served on a path → {@code 405}; concurrent settings changes that kept colliding, or an
 * unconfirmed lock-out → {@code 409} (optional {@code confirmLockout} that is not a boolean →
 * {@code 400}); a body over 1 MiB → {@code 413}; the store unavailable → {@code 503}. No response
 * but token creation holds a token, and no error echoes one.
 *
 * <p>{@code --trusted-proxy CIDR} (repeatable) names proxy ranges whose {@code X-Forwarded-For} is
 * to be believed. The ranges are checked at start; until auth-core's client-address resolver is
 * wired in (see {@code ClientAddressSource}), the client address is always the socket peer.
 */
public final class GatewayMain {
  private GatewayMain() {}

  /** Starts the gateway; it runs until the process is stopped. */
  public static void main(String[] args) {
    Launch launch = launch(args, System.out, System.err);
    Gateway gateway = launch.gateway();
    if (gateway == null) {
      if (launch.exitCode() != 0) {
        System.exit(launch.exitCode());
      }
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
  }

  /**
   * The outcome of {@link #launch}: a running gateway, or none and the exit status.
   *
   * @param gateway the running gateway, or {@code null}
   * @param exitCode 0 when started or after {@code --help}; 2 for a bad command line; 1 when the
   *     gateway could not start
   */
  record Launch(@Nullable Gateway gateway, int exitCode) {}

  /** Parses {@code args} and starts a gateway, reporting problems on {@code err}. */
  static Launch launch(String[] args, PrintStream out, PrintStream err) {
    GatewayOptions options;
    try {
      options = GatewayOptions.parse(args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(GatewayOptions.USAGE);
      return new Launch(null, 2);
    }
    if (options.help()) {
      out.println(GatewayOptions.USAGE);
      return new Launch(null, 0);
    }
    try {
      return new Launch(Gateway.start(options, out, err), 0);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(GatewayOptions.USAGE);
      return new Launch(null, 2);
    } catch (IOException | RuntimeException e) {
      err.println("error: the gateway could not start: " + e.getMessage());
      return new Launch(null, 1);
    }
  }
}
