package dev.authcore.testkit.gateway;

import java.io.IOException;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/**
 * The reference gateway: auth-core's console API over HTTP, for plain clients such as {@code curl}.
 *
 * <pre>
 * java -jar auth-testkit/target/auth-gateway.jar [--port N] [--bind ADDRESS] [--users FILE]
 *     [--tokens-out FILE] [--trusted-proxy CIDR]... [--proxy-header NAME] [--fake-clock]
 *     [--audit-log FILE] [--jdbc-url URL] [--db-pool-size N]
 * </pre>
 *
 * <p>{@code --jdbc-url} keeps tokens in PostgreSQL instead of memory (see {@code GatewayStores}):
 * the schema is applied at start, gateways on one database share tokens and hear of each other's
 * deletions and policy changes through {@code LISTEN/NOTIFY}, and a user's {@code bootstrap} token
 * is issued only when the user has none: a gateway that finds one (an earlier start's, or another
 * gateway's on the same database, even one starting at the same moment) keeps it, issues none and
 * says so on standard error, so it never takes away a token another node printed. To have a fresh
 * one issued, delete the old one first.
 *
 * <h2>Start</h2>
 *
 * It listens on 127.0.0.1, port 8080, unless {@code --bind} (an IP address: {@code ::1}, or {@code
 * 0.0.0.0} or {@code ::} for every interface) or {@code --port} (0 picks a free port) say
 * otherwise. Users come from {@code --users FILE}, one a line, {@code <corp> <email> <OWNER|USER>}
 * (blank lines and {@code #} comments ignored); without it, corp {@code demo} with owner {@code
 * owner@example.com}. The store is the embedded in-memory one: nothing survives a restart. At start
 * it issues each user one token named {@code bootstrap} and writes {@code <email> <token>} lines to
 * {@code --tokens-out FILE} (created readable by its owner only) or standard output; then prints to
 * standard output the {@code curl} command that calls {@code GET /api/v0/corps} as the first user
 * issued a token (with {@code --tokens-out} it reads the token from that file when run, so standard
 * output holds no token; with no token issued, it holds a placeholder), the address of the web
 * console ({@code console: http://<address>:<port>/ ...}, see below), and {@code listening on
 * http://<address>:<port>}: IPv6 in brackets, and for a wildcard bind the loopback address,
 * followed by {@code (bound to <address>, every interface)}. Audit events go to standard error as
 * JSON lines, or to {@code --audit-log FILE}. A bad command line prints what is wrong and the usage
 * to standard error and exits with status 2; a failure to start (port taken) exits with status 1.
 *
 * <h2>Console</h2>
 *
 * {@code GET /} on the same port is a web console built only on the JSON API below: sign in with an
 * email and a token (the bootstrap token works), see and manage one's own tokens, and, for owners,
 * the corp's tokens, its token settings and its users' token permission. The page and its scripts
 * (plain HTML, CSS and JavaScript modules in the jar, nothing from elsewhere) are served with a
 * Content-Security-Policy that allows this origin only; the token stays in the browser tab's
 * session storage and goes to the gateway only in {@code x-api-token}. Any path outside {@code
 * /api/} that is not one of its files → {@code 404}; a method other than {@code GET} or {@code
 * HEAD} there → {@code 405}. See {@code ConsoleFiles}.
 *
 * <h2>Requests</h2>
 *
 * Every endpoint but {@code POST /api/v0/_leaks} authenticates the caller with the {@code
 * x-api-user} and {@code x-api-token} headers, checked by auth-core against the client address (the
 * socket peer; see {@code --trusted-proxy} below). Any rejection is {@code 401
 * {"error":"unauthorized"}}, the same whatever the reason; the reason is in the audit log. Bodies
 * are JSON; unknown fields are refused. Instants are ISO-8601 UTC; absent values are {@code null}.
 * A token belongs in {@code x-api-token} only: error bodies and the audit log redact anything
 * token-like that a caller put elsewhere, and Jetty's loggers, which would write request lines and
 * headers at DEBUG, are held at WARNING. A control character in either header (C0, DEL, C1; a NUL,
 * a tab, a stray CR) never authenticates: Jetty refuses most as a malformed request ({@code 400}),
 * a tab anywhere in those two lines is refused the same way before any trimming, and one that still
 * reaches the gateway makes the credentials malformed ({@code 401}, reason {@code MALFORMED}).
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
 *   <li>{@code POST /api/v0/me/tokens/{id}/rotate} {@code {"graceMinutes":60}} ({@code
 *       graceMinutes} 0 to 10080; absent, {@code null} or no body means 0) → {@code 201
 *       {"id","name","token","created","expires","previousValidUntil"}}: the same token with a new
 *       secret, shown once; the previous secret keeps working until {@code previousValidUntil}
 *       (exclusive; {@code null} when the grace is 0, and it stopped at once). Another user's token
 *       → {@code 404}, a bad {@code graceMinutes} → {@code 400}.
 *   <li>Owners: {@code GET
 *       /api/v0/corps/{corp}/tokens?status=&creator=&name=&limit=&cursor=&expiringWithinDays=} →
 *       {@code {"data":[row...],"next":cursor-or-null}}; a row is {@code
 *       {"id","name","creator","created","expires","status","lastUsed","ips","rotated",
 *       "previousValidUntil"}}, {@code status} one of {@code ACTIVE}, {@code EXPIRED}, {@code
 *       DISABLED}; {@code rotated} is when the secret was last rotated and {@code
 *       previousValidUntil} the end of the previous secret's grace period while it runs ({@code
 *       null} otherwise). {@code expiringWithinDays=N} (a whole number from 1 to 365, else {@code
 *       400} saying so) keeps the tokens not yet expired whose {@code expires} is at most N days
 *       away.
 *   <li>Owners: {@code DELETE /api/v0/corps/{corp}/tokens/{id}} → {@code 204}; {@code POST
 *       /api/v0/corps/{corp}/tokens/{id}/rotate} rotates any token of the corp, with the body and
 *       answer of the user's own rotation.
 *   <li>Owners: {@code GET} and {@code PUT /api/v0/corps/{corp}/tokenSettings} with {@code
 *       {"expiryDays": null-or-days, "restricted": bool, "allowedIps": "one\nentry\nper line"}}
 *       (all three required on {@code PUT}, which answers the settings now in force). A bad allow
 *       list → {@code 400} whose {@code details} are {@code [{"line","text","reason"}]}, and
 *       nothing changes. A change that could lock the corp out (restricting while no owner holds
 *       the token permission, or an allow list that refuses the calling owner's own address) →
 *       {@code 409} whose {@code details} are the preview's warnings, and nothing changes, unless
 *       the body also holds {@code "confirmLockout": true}. Optional fields: {@code "inactiveDays"}
 *       (null or 7–365) and {@code "stagedAllowedIps"} (a list staged in report-only mode; {@code
 *       ""} or {@code null} discards it); absent, each keeps the value in force at the moment of
 *       saving. {@code GET} and {@code PUT} answer both, with {@code "stagedSince"}.
 *   <li>Owners: {@code POST /api/v0/corps/{corp}/tokenSettings/enforceStaged}, with no body or
 *       {@code {"confirmLockout": bool}} → {@code 200} with the settings now in force (the staged
 *       list in force, none staged); {@code 409} if none is staged, or if it would refuse the
 *       calling owner's own address and the lock-out is not confirmed. While a list is staged, rows
 *       of the owners' listing carry {@code "wouldBeBlocked": {"count": N, "ips": [...]}}.
 *   <li>Owners: {@code POST /api/v0/corps/{corp}/tokenSettings/preview} with the same body → {@code
 *       {"wouldExpire":[row...],"wouldBeDisabled":[...],"wouldBeBlocked":[...],"wouldComeBack":[...],
 *       "warnings":[text...]}}; nothing changes.
 *   <li>Owners: {@code PUT /api/v0/corps/{corp}/users/{email}/tokenPermission} {@code
 *       {"allowed":bool, "until":instant-or-null}} → {@code 204}. {@code "until"} (optional; absent
 *       or {@code null} means no end) is an ISO-8601 instant after the gateway's clock at which the
 *       grant ends (exclusive); with {@code "allowed": false}, not in the future, or malformed →
 *       {@code 400} naming the field. Revoking the permission of the last owner holding it in a
 *       restricted corp, or granting an owner an end after which no owner would hold it → {@code
 *       409} with the warning in {@code details}, unless the body also holds {@code
 *       "confirmLockout": true}.
 *   <li>Owners: {@code GET /api/v0/corps/{corp}/users} → {@code {"data":[{"email","role",
 *       "allowed","until"}]}}: the corp's users as the users file lists them ({@code role} {@code
 *       OWNER} or {@code USER}), each with the permission as {@code GET .../tokenPermission} gives
 *       it.
 *   <li>Owners: {@code GET /api/v0/corps/{corp}/users/{email}/tokenPermission} → {@code 200
 *       {"allowed":bool, "until":instant-or-null}}: whether the user holds the permission now, and
 *       the end of their grant (a grant whose end has passed gives {@code false} with that end);
 *       {@code 404} for a user not in the corp.
 *   <li>Anyone, without credentials: {@code POST /api/v0/_leaks?source=where} with the text where
 *       tokens were found as a {@code text/plain} body (charset UTF-8, US-ASCII or ISO-8859-1; at
 *       most 1 MiB) → {@code 200 {"found":N,"revoked":M}}: every token of this gateway in the text
 *       whose secret verifies is revoked (deleted) and its {@code TokenLeaked} event, naming {@code
 *       source}, goes to the audit log; a token with a wrong secret or an unknown id is found but
 *       revokes nothing, and the answer never says which ids exist (see {@code
 *       TokenIssuer.revokeLeaked}). {@code source} is optional, at most 200 visible characters and
 *       spaces ({@code 400} otherwise); a token in it is redacted. Credential headers sent with the
 *       request are ignored: not checked, not logged. Another {@code Content-Type} → {@code 415}; a
 *       text holding more than 100 distinct tokens → {@code 400}, nothing revoked.
 *   <li>With {@code --fake-clock} only: {@code POST /api/v0/_clock} {@code {"advance":"P60D"}}
 *       (ISO-8601 duration, not negative) → {@code {"now":instant}}, after sending the expiry
 *       notices due at the new instant (below; if the store fails meanwhile, {@code 503}: the clock
 *       has moved nonetheless, and the minute schedule sends them); without the flag the path is
 *       {@code 404}.
 * </ul>
 *
 * <h2>Expiry notices</h2>
 *
 * Once a minute of the gateway's clock (the fake one with {@code --fake-clock}, which then moves
 * only through {@code _clock}; see {@code NoticeSchedule}), and once at each {@code _clock} move,
 * the gateway runs auth-core's expiry-notice sweep: a {@code TokenExpiringSoon} event 7 days and 1
 * day before each token's effective expiry and a {@code TokenExpired} event when it passes, once
 * per token, go to the audit log like every other event ({@code {"event":"TokenExpiringSoon",
 * "at","corp","tokenId","tokenName","tokenOwner","expires","thresholdDays"}} and {@code
 * {"event":"TokenExpired","at","corp","tokenId","tokenName","tokenOwner","expired"}}). Gateways
 * sharing a database send each notice once between them, and a restarted gateway sends none again.
 *
 * <p>Errors: bad input → {@code 400 {"error":"...","details":[...]}}; a non-owner on an owner
 * endpoint → {@code 403}; a {@code {corp}} that is not the caller's corp → {@code 404} (so the
 * names of other corps are not confirmed); an unknown token or path → {@code 404}; a method not
 * served on a path → {@code 405}; concurrent settings changes that kept colliding, or an
 * unconfirmed lock-out → {@code 409} (optional {@code confirmLockout} that is not a boolean →
 * {@code 400}); a body over 1 MiB → {@code 413} (at once when {@code Content-Length} says so, as
 * soon as the bytes read pass it when the body is chunked); a leak report whose body is not {@code
 * text/plain} → {@code 415}; request line and headers over 8 KiB → {@code 431}; a request the HTTP
 * server finds malformed (no {@code Host}, an ambiguous path encoding such as {@code %2F}, a
 * control character in a header) → {@code 400 {"error":"malformed HTTP request"}}; the store
 * unavailable → {@code 503}. No response but token creation holds a token, and no error echoes one.
 *
 * <p>Slow clients: at most 512 connections at once; each request (line, headers, body) must arrive
 * within 10 s of the connection opening or of the previous response, however slowly its bytes
 * trickle, else the connection is closed; an idle connection closes after 10 s; no thread waits on
 * a client (see {@code Gateway}).
 *
 * <p>{@code --trusted-proxy CIDR} (repeatable) names proxy ranges whose forwarding header is
 * believed: {@code X-Forwarded-For}, or RFC 7239's {@code Forwarded} with {@code --proxy-header
 * Forwarded}. Behind a trusted peer the client is the rightmost address in that header that is not
 * a trusted proxy; from any other peer the headers are ignored and the client is the peer. Only the
 * configured header is read. Where the client should be, an entry that is not an address (garbage,
 * a malformed element, {@code Forwarded}'s {@code unknown} or an obfuscated identifier such as
 * {@code _hidden}) rejects the request with {@code 401}. In {@code Forwarded}, IPv6 is quoted in
 * brackets: {@code for="[2001:db8::1]:4711"}. See {@code ClientAddressSource}.
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
