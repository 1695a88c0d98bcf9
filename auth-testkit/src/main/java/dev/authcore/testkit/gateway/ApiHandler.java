package dev.authcore.testkit.gateway;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RotatedToken;
import dev.authcore.SecretRedactor;
import dev.authcore.TokenIssuer;
import dev.authcore.Verification;
import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenPage;
import dev.authcore.console.TokenQuery;
import dev.authcore.console.TokenRow;
import dev.authcore.model.AuthCoreException;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.AllowListException;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import dev.authcore.testkit.FakeClock;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Routes and answers the gateway's requests: the endpoints, status codes and JSON shapes documented
 * on {@link GatewayMain}.
 *
 * <p>Order of checks for every request: the path (unknown: 404), the method (not served there:
 * 405), authentication with {@code x-api-user} and {@code x-api-token} (any rejection: 401 with the
 * same body, the reason going to the audit log through auth-core's rejection event), the corp in
 * the path (not the caller's: 404, so other corps' names are not confirmed), the caller's role on
 * owner endpoints (403), then the request body and parameters (400). The one endpoint open to
 * anyone, {@code POST /api/v0/_leaks}, skips authentication: credential headers sent with it are
 * not read. Thread-safe.
 */
final class ApiHandler {
  private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());
  private static final String API = "/api/v0/";

  /** The largest request body the gateway reads; the HTTP server answers 413 beyond it. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /** A {@code %} in a query string that does not start an escape {@code %XX}. */
  private static final Pattern BAD_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

  /** The one body of every 401, whatever the reason. */
  private static final ObjectNode UNAUTHORIZED = Json.object().put("error", "unauthorized");

  private final AuthCore core;
  private final TokenConsole console;
  private final @Nullable FakeClock fakeClock;

  /** The clock the deployment was built with (the gateway builds it the same way). */
  private final InstantSource clock;

  private final ClientAddressSource clients;

  /** The users the gateway was started with, corp name to users in the users file's order. */
  private final Map<String, List<UserAccount>> usersByCorp;

  /** Corp name to when the gateway first saw it (its start, for corps in the users file). */
  private final ConcurrentMap<String, Instant> corpsSeen = new ConcurrentHashMap<>();

  ApiHandler(
      AuthCore core,
      @Nullable FakeClock fakeClock,
      ClientAddressSource clients,
      List<UserAccount> users,
      Instant start) {
    this.core = core;
    this.console = TokenConsole.of(core);
    this.fakeClock = fakeClock;
    this.clock = fakeClock != null ? fakeClock : InstantSource.system();
    this.clients = clients;
    Map<String, List<UserAccount>> byCorp = new HashMap<>();
    for (UserAccount user : users) {
      corpsSeen.putIfAbsent(user.corp(), start);
      byCorp.computeIfAbsent(user.corp(), c -> new ArrayList<>()).add(user);
    }
    byCorp.replaceAll((corp, list) -> List.copyOf(list));
    this.usersByCorp = Map.copyOf(byCorp);
  }

  /** What an endpoint does once the caller is authenticated. */
  @FunctionalInterface
  private interface Endpoint {
    Response serve(Verification.Authenticated caller, ApiRequest exchange);
  }

  /** A response: status, optional JSON body, extra headers. */
  private record Response(int status, @Nullable JsonNode body, Map<String, String> headers) {
    static Response of(int status, @Nullable JsonNode body) {
      return new Response(status, body, Map.of());
    }
  }

  /**
   * Answers one request. Never throws for anything a client sends: a bug answers 500 and is logged.
   */
  ApiResponse handle(ApiRequest exchange) {
    Response response;
    try {
      response = route(exchange);
    } catch (HttpError e) {
      response = Response.of(e.status(), e.body());
    } catch (AuthCoreException e) {
      response = refusal(e, exchange);
    } catch (RuntimeException e) {
      // Anything else is a bug (auth-core's JDK exceptions mean a misuse of its API), not input.
      LOG.log(Level.ERROR, "failed on " + exchange.method() + " " + path(exchange), e);
      response = Response.of(500, Json.error("internal error"));
    }
    return send(response);
  }

  // ---- auth-core's refusals ------------------------------------------------------------------

  /**
   * The answer to a refusal by auth-core: the one place where this gateway maps auth-core's
   * exception family onto its HTTP interface. The body is {@code {"error": message}}; an invalid
   * allow list adds each problem under {@code "details"}, a change refused as a lock-out its
   * warnings (the texts the preview gives); a store failure is logged and answered without its
   * cause.
   */
  private static Response refusal(AuthCoreException e, ApiRequest exchange) {
    int status = statusOf(e);
    if (e instanceof StoreUnavailableException) {
      LOG.log(
          Level.WARNING, "token store failed on " + exchange.method() + " " + path(exchange), e);
      return Response.of(status, Json.error("the token store is unavailable; try again later"));
    }
    if (e instanceof AllowListException invalid) {
      return Response.of(
          status,
          Json.allowListError("invalid allow list; nothing was changed", invalid.problems()));
    }
    if (e instanceof LockoutException lockout) {
      return Response.of(
          status,
          Json.error(
              "this change could lock the corp out; nothing was changed. Send it again with"
                  + " \"confirmLockout\": true to make it anyway",
              lockout.warnings()));
    }
    return Response.of(status, Json.error(String.valueOf(e.getMessage())));
  }

  /**
   * The status this gateway answers for an auth-core refusal. Its interface was fixed before
   * auth-core named a status for each refusal, and differs in one place: a taken name and the token
   * limit answer 400 (auth-core suggests 409), as they always have here. A refusal this table does
   * not know answers the status auth-core suggests.
   *
   * <table>
   *   <caption>Statuses</caption>
   *   <tr><th>refusal</th><th>status</th></tr>
   *   <tr><td>{@link InvalidInputException} (an allow list included)</td><td>400</td></tr>
   *   <tr><td>{@link ConflictException} {@code NAME_TAKEN}, {@code TOKEN_LIMIT}</td><td>400</td></tr>
   *   <tr><td>{@link PermissionDeniedException}</td><td>403</td></tr>
   *   <tr><td>{@link NotFoundException}</td><td>404</td></tr>
   *   <tr><td>{@link ConflictException} {@code CONCURRENT_CHANGE}, {@code LOCKOUT}, {@code
   *       NOTHING_STAGED}</td>
   *       <td>409</td></tr>
   *   <tr><td>{@link StoreUnavailableException}</td><td>503</td></tr>
   * </table>
   */
  static int statusOf(AuthCoreException e) {
    if (e instanceof InvalidInputException) {
      return 400;
    }
    if (e instanceof ConflictException conflict) {
      return switch (conflict.kind()) {
        case NAME_TAKEN, TOKEN_LIMIT -> 400;
        case CONCURRENT_CHANGE, LOCKOUT, NOTHING_STAGED -> 409;
      };
    }
    if (e instanceof PermissionDeniedException) {
      return 403;
    }
    if (e instanceof NotFoundException) {
      return 404;
    }
    if (e instanceof StoreUnavailableException) {
      return 503;
    }
    return e.httpStatus();
  }

  // ---- routing -------------------------------------------------------------------------------

  private Response route(ApiRequest exchange) {
    String raw = exchange.rawPath();
    if (raw == null || !raw.startsWith(API)) {
      return notFound();
    }
    List<String> s = segments(raw.substring(API.length()));
    String method = exchange.method();
    int n = s.size();
    if (n == 1 && s.get(0).equals("corps")) {
      return dispatch(exchange, method, Map.of("GET", this::corps));
    }
    if (n == 1 && s.get(0).equals("_leaks")) {
      if (!method.equals("POST")) {
        return methodNotAllowed(method, Set.of("POST"));
      }
      return reportLeak(exchange);
    }
    if (n == 1 && s.get(0).equals("_clock")) {
      if (fakeClock == null) {
        return notFound();
      }
      return dispatch(exchange, method, Map.of("POST", (c, x) -> advanceClock(x, fakeClock)));
    }
    if (n >= 2 && s.get(0).equals("me") && s.get(1).equals("tokens")) {
      if (n == 2) {
        return dispatch(exchange, method, Map.of("GET", this::listOwn, "POST", this::issue));
      }
      if (n == 3) {
        String id = s.get(2);
        return dispatch(exchange, method, Map.of("DELETE", (c, x) -> deleteOwn(c, id)));
      }
      if (n == 4 && s.get(3).equals("rotate")) {
        String id = s.get(2);
        return dispatch(exchange, method, Map.of("POST", (c, x) -> rotateOwn(c, id, x)));
      }
      if (n == 4 && s.get(3).equals("allowedIps")) {
        String id = s.get(2);
        return dispatch(exchange, method, Map.of("PUT", (c, x) -> allowedIpsOwn(c, id, x)));
      }
    }
    if (n >= 3 && s.get(0).equals("corps")) {
      String corp = s.get(1);
      String what = s.get(2);
      if (n == 3 && what.equals("tokens")) {
        return dispatch(exchange, method, Map.of("GET", (c, x) -> listCorp(owner(c, corp), x)));
      }
      if (n == 4 && what.equals("tokens")) {
        String id = s.get(3);
        return dispatch(
            exchange, method, Map.of("DELETE", (c, x) -> deleteInCorp(owner(c, corp), id)));
      }
      if (n == 5 && what.equals("tokens") && s.get(4).equals("rotate")) {
        String id = s.get(3);
        return dispatch(
            exchange, method, Map.of("POST", (c, x) -> rotateInCorp(owner(c, corp), id, x)));
      }
      if (n == 5 && what.equals("tokens") && s.get(4).equals("allowedIps")) {
        String id = s.get(3);
        return dispatch(
            exchange, method, Map.of("PUT", (c, x) -> allowedIpsInCorp(owner(c, corp), id, x)));
      }
      if (n == 3 && what.equals("tokenSettings")) {
        return dispatch(
            exchange,
            method,
            Map.of(
                "GET", (c, x) -> settings(owner(c, corp)),
                "PUT", (c, x) -> updateSettings(owner(c, corp), x)));
      }
      if (n == 4 && what.equals("tokenSettings") && s.get(3).equals("enforceStaged")) {
        return dispatch(
            exchange, method, Map.of("POST", (c, x) -> enforceStaged(owner(c, corp), x)));
      }
      if (n == 4 && what.equals("tokenSettings") && s.get(3).equals("preview")) {
        return dispatch(exchange, method, Map.of("POST", (c, x) -> preview(owner(c, corp), x)));
      }
      if (n == 3 && what.equals("users")) {
        return dispatch(exchange, method, Map.of("GET", (c, x) -> users(owner(c, corp))));
      }
      if (n == 5 && what.equals("users") && s.get(4).equals("tokenPermission")) {
        String email = s.get(3);
        return dispatch(
            exchange,
            method,
            Map.of(
                "GET", (c, x) -> permission(owner(c, corp), email),
                "PUT", (c, x) -> setPermission(owner(c, corp), email, x)));
      }
    }
    return notFound();
  }

  private Response dispatch(ApiRequest exchange, String method, Map<String, Endpoint> endpoints) {
    Endpoint endpoint = endpoints.get(method);
    if (endpoint == null) {
      return methodNotAllowed(method, endpoints.keySet());
    }
    Optional<InetAddress> client = clients.clientOf(exchange);
    if (client.isEmpty()) {
      return Response.of(401, UNAUTHORIZED);
    }
    Verification verification = verify(exchange, client.get());
    if (!(verification instanceof Verification.Authenticated caller)) {
      return Response.of(401, UNAUTHORIZED);
    }
    return endpoint.serve(caller, exchange);
  }

  private static Response methodNotAllowed(String method, Set<String> allowed) {
    String allow = String.join(", ", new java.util.TreeSet<>(allowed));
    return new Response(
        405,
        Json.error(
            "method " + GatewayOptions.printable(method) + " not allowed here",
            List.of("allowed: " + allow)),
        Map.of("Allow", allow));
  }

  /**
   * The caller's credentials checked by auth-core. A header that is absent, sent more than once
   * (ambiguous), or holds a control character (C0, DEL or C1: a NUL, a tab, a stray CR or LF, which
   * an HTTP server might trim or pass on) makes the request malformed: auth-core is handed no
   * token, so it rejects the request as {@code MALFORMED} with its usual event, exactly as for a
   * token in the wrong format, and the credentials are never looked up.
   */
  private Verification verify(ApiRequest exchange, InetAddress client) {
    @Nullable String user = single(exchange, "x-api-user");
    @Nullable String token = single(exchange, "x-api-token");
    if (hasControlCharacter(user) || hasControlCharacter(token)) {
      token = null;
    }
    return core.verifier().verify(user, token, client);
  }

  /** The one value of a header, or {@code null} if absent or sent more than once (ambiguous). */
  private static @Nullable String single(ApiRequest exchange, String name) {
    List<String> values = exchange.headers(name);
    return values.size() != 1 ? null : values.get(0);
  }

  /** Whether {@code text} holds a C0 control, DEL or a C1 control (U+0080 to U+009F). */
  static boolean hasControlCharacter(@Nullable String text) {
    if (text == null) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The caller as an owner of {@code corp}.
   *
   * @throws HttpError 404 if {@code corp} is not the caller's corp, 403 if the caller is no owner
   */
  private UserAccount owner(Verification.Authenticated caller, String corp) {
    if (!corp.equals(caller.corp())) {
      throw new HttpError(404, Json.error("no such corp"));
    }
    UserAccount actor = console.account(caller.email());
    if (!actor.isOwner()) {
      throw new HttpError(
          403,
          Json.error(
              actor.email()
                  + " is not an owner of corp "
                  + actor.corp()
                  + "; only owners may do this"));
    }
    return actor;
  }

  // ---- endpoints -----------------------------------------------------------------------------

  private Response corps(Verification.Authenticated caller, ApiRequest exchange) {
    Instant seen =
        corpsSeen.computeIfAbsent(caller.corp(), c -> Instant.ofEpochMilli(clock.millis()));
    ObjectNode corp = Json.object();
    corp.put("name", caller.corp());
    corp.put("displayName", caller.corp());
    Json.putInstant(corp, "created", seen);
    ObjectNode body = Json.object();
    body.putArray("data").add(corp);
    return Response.of(200, body);
  }

  private Response listOwn(Verification.Authenticated caller, ApiRequest exchange) {
    core.flushUsage();
    return Response.of(200, Json.data(console.listOwn(caller.email())));
  }

  private Response issue(Verification.Authenticated caller, ApiRequest exchange) {
    ObjectNode body = body(exchange, Set.of("name", "expiresInDays"));
    List<String> problems = new ArrayList<>();
    @Nullable String name = string(body, "name", true, problems);
    @Nullable Integer days = days(body, "expiresInDays", false, problems);
    if (!problems.isEmpty() || name == null) {
      throw new HttpError(400, Json.error("invalid request", problems));
    }
    IssuedToken token =
        core.issuer().issue(caller.email(), name, days == null ? null : Duration.ofDays(days));
    @Nullable Instant expires = token.expiresAt();
    for (TokenRow row : console.listOwn(caller.email())) {
      if (row.id().equals(token.id())) {
        expires = row.expires(); // under the corp's policy too
      }
    }
    return new Response(
        201,
        Json.created(
            token.id().toString(), token.name(), token.revealPlaintext(), token.created(), expires),
        Map.of());
  }

  private Response deleteOwn(Verification.Authenticated caller, String idText) {
    TokenId id = TokenId.parse(idText);
    boolean own = console.listOwn(caller.email()).stream().anyMatch(r -> r.id().equals(id));
    if (!own) {
      throw new HttpError(404, Json.error("you have no token " + id));
    }
    core.issuer().delete(caller.email(), id);
    return Response.of(204, null);
  }

  /**
   * {@code POST /api/v0/me/tokens/{id}/rotate} {@code {"graceMinutes": N}}: the caller rotates
   * their own token; another user's token is not found, as for {@code DELETE}.
   */
  private Response rotateOwn(Verification.Authenticated caller, String idText, ApiRequest x) {
    TokenId id = TokenId.parse(idText);
    Duration grace = graceOf(x);
    boolean own = console.listOwn(caller.email()).stream().anyMatch(r -> r.id().equals(id));
    if (!own) {
      throw new HttpError(404, Json.error("you have no token " + id));
    }
    return rotated(caller.email(), core.issuer().rotate(caller.email(), id, grace));
  }

  /** {@code POST /api/v0/corps/{corp}/tokens/{id}/rotate}: an owner rotates any corp token. */
  private Response rotateInCorp(UserAccount owner, String idText, ApiRequest exchange) {
    TokenId id = TokenId.parse(idText);
    Duration grace = graceOf(exchange);
    return rotated(owner.email(), core.issuer().rotate(owner.email(), id, grace));
  }

  /**
   * {@code PUT /api/v0/me/tokens/{id}/allowedIps} {@code {"allowedIps": text}}: the caller sets,
   * replaces or ({@code ""}) removes their own token's allow list; another user's token is not
   * found, as for {@code DELETE}.
   */
  private Response allowedIpsOwn(Verification.Authenticated caller, String idText, ApiRequest x) {
    TokenId id = TokenId.parse(idText);
    String text = allowedIpsOf(x);
    boolean own = console.listOwn(caller.email()).stream().anyMatch(r -> r.id().equals(id));
    if (!own) {
      throw new HttpError(404, Json.error("you have no token " + id));
    }
    return Response.of(200, Json.tokenAllowList(console.setAllowedIps(caller.email(), id, text)));
  }

  /** {@code PUT /api/v0/corps/{corp}/tokens/{id}/allowedIps}: an owner, for any corp token. */
  private Response allowedIpsInCorp(UserAccount owner, String idText, ApiRequest exchange) {
    TokenId id = TokenId.parse(idText);
    String text = allowedIpsOf(exchange);
    return Response.of(200, Json.tokenAllowList(console.setAllowedIps(owner.email(), id, text)));
  }

  /**
   * The list text of a {@code {"allowedIps": text}} body, required ({@code ""} removes the list).
   *
   * @throws HttpError 400 if the body is not such an object
   */
  private static String allowedIpsOf(ApiRequest exchange) {
    ObjectNode body = body(exchange, Set.of("allowedIps"));
    List<String> problems = new ArrayList<>();
    @Nullable String text = string(body, "allowedIps", false, problems);
    if (text == null && problems.isEmpty()) {
      problems.add("allowedIps is required (\"\" removes the token's own list)");
    }
    if (text == null) {
      throw new HttpError(400, Json.error("invalid request", problems));
    }
    return text;
  }

  /**
   * The rotation's grace period from the body {@code {"graceMinutes": N}}, 0 to 10,080 minutes (7
   * days); the field absent or {@code null}, or no body at all, means 0.
   *
   * @throws HttpError 400 if the body is not such an object
   */
  private static Duration graceOf(ApiRequest exchange) {
    if (exchange.body().length == 0) {
      return Duration.ZERO;
    }
    ObjectNode body = body(exchange, Set.of("graceMinutes"));
    JsonNode value = body.get("graceMinutes");
    if (value == null || value.isNull()) {
      return Duration.ZERO;
    }
    long max = TokenIssuer.MAX_ROTATION_GRACE.toMinutes();
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < 0
        || value.intValue() > max) {
      throw new HttpError(
          400,
          Json.error(
              "invalid request",
              List.of(
                  "graceMinutes must be a whole number of minutes from 0 to "
                      + max
                      + ", got "
                      + GatewayOptions.printable(value.toString()))));
    }
    return Duration.ofMinutes(value.intValue());
  }

  /**
   * {@code 201} with the fields of a created token, {@code expires} being the effective expiry
   * under the corp's policy, and {@code previousValidUntil}.
   */
  private Response rotated(String actorEmail, RotatedToken rotated) {
    IssuedToken token = rotated.token();
    @Nullable Instant expires = token.expiresAt();
    List<TokenRow> rows = console.listOwn(actorEmail);
    if (rows.stream().noneMatch(r -> r.id().equals(token.id()))) {
      // an owner rotated another user's token: that user's tokens, at most the per-user limit
      rows =
          console
              .listCorp(
                  actorEmail,
                  TokenQuery.all().withCreator(token.ownerEmail()).withLimit(TokenQuery.MAX_LIMIT))
              .rows();
    }
    for (TokenRow row : rows) {
      if (row.id().equals(token.id())) {
        expires = row.expires(); // under the corp's policy too
      }
    }
    return Response.of(
        201,
        Json.rotated(
            token.id().toString(),
            token.name(),
            token.revealPlaintext(),
            token.created(),
            expires,
            rotated.previousValidUntil()));
  }

  private Response listCorp(UserAccount owner, ApiRequest exchange) {
    Map<String, String> params =
        query(
            exchange, Set.of("status", "creator", "name", "limit", "cursor", "expiringWithinDays"));
    List<String> problems = new ArrayList<>();
    TokenQuery query = TokenQuery.all();
    String status = params.get("status");
    if (status != null) {
      @Nullable TokenStatus named = statusNamed(status);
      if (named == null) {
        problems.add("status must be ACTIVE, EXPIRED or DISABLED");
      } else {
        query = query.withStatus(named);
      }
    }
    query = query.withCreator(params.get("creator")).withNameContaining(params.get("name"));
    String limit = params.get("limit");
    if (limit != null) {
      int n = -1;
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        // reported below
      }
      if (n < 1 || n > TokenQuery.MAX_LIMIT) {
        problems.add("limit must be a whole number from 1 to " + TokenQuery.MAX_LIMIT);
      } else {
        query = query.withLimit(n);
      }
    }
    query = query.withCursor(params.get("cursor"));
    String expiring = params.get("expiringWithinDays");
    if (expiring != null) {
      @Nullable Integer days = wholeNumber(expiring);
      if (days == null
          || days < TokenQuery.MIN_EXPIRING_WITHIN_DAYS
          || days > TokenQuery.MAX_EXPIRING_WITHIN_DAYS) {
        problems.add(
            "expiringWithinDays must be a whole number of days from "
                + TokenQuery.MIN_EXPIRING_WITHIN_DAYS
                + " to "
                + TokenQuery.MAX_EXPIRING_WITHIN_DAYS
                + ", got '"
                + GatewayOptions.printable(expiring)
                + "'");
      } else {
        query = query.withExpiringWithinDays(days);
      }
    }
    if (!problems.isEmpty()) {
      throw new HttpError(400, Json.error("invalid query", problems));
    }
    core.flushUsage();
    TokenPage page = console.listCorp(owner.email(), query);
    ObjectNode body = Json.data(page.rows());
    body.put("next", page.nextCursor());
    return Response.of(200, body);
  }

  /** {@code text} as an int if it is one in plain decimal digits (an optional sign), else null. */
  private static @Nullable Integer wholeNumber(String text) {
    if (!text.matches("[+-]?[0-9]{1,9}")) {
      return null;
    }
    return Integer.parseInt(text);
  }

  private Response deleteInCorp(UserAccount owner, String idText) {
    console.delete(owner.email(), TokenId.parse(idText));
    return Response.of(204, null);
  }

  private Response settings(UserAccount owner) {
    return Response.of(200, Json.settings(console.settings(owner.email())));
  }

  private Response updateSettings(UserAccount owner, ApiRequest exchange) {
    ObjectNode body = body(exchange, withConfirmLockout(SETTINGS_FIELDS));
    List<String> problems = new ArrayList<>();
    boolean confirmed = confirmLockout(body, problems);
    UnaryOperator<TokenSettings> change = settingsOf(body, problems);
    ChangeOptions options =
        ChangeOptions.guarded()
            .withActorAddress(clients.clientOf(exchange).orElse(null))
            .withLockoutConfirmed(confirmed);
    // Applied to the settings in force when saving: fields the body leaves out keep their value
    // even if another owner changes them meanwhile.
    return Response.of(200, Json.settings(console.changeSettings(owner.email(), change, options)));
  }

  /**
   * {@code POST .../tokenSettings/enforceStaged}, with no body or {@code {"confirmLockout": bool}}:
   * the staged list replaces the list in force; 409 if none is staged.
   */
  private Response enforceStaged(UserAccount owner, ApiRequest exchange) {
    boolean confirmed = false;
    if (exchange.body().length > 0) {
      ObjectNode body = body(exchange, Set.of("confirmLockout"));
      List<String> problems = new ArrayList<>();
      confirmed = confirmLockout(body, problems);
      if (!problems.isEmpty()) {
        throw new HttpError(400, Json.error("invalid request", problems));
      }
    }
    ChangeOptions options =
        ChangeOptions.guarded()
            .withActorAddress(clients.clientOf(exchange).orElse(null))
            .withLockoutConfirmed(confirmed);
    return Response.of(200, Json.settings(console.enforceStaged(owner.email(), options)));
  }

  private Response preview(UserAccount owner, ApiRequest exchange) {
    TokenSettings proposed =
        settingsOf(body(exchange, SETTINGS_FIELDS), new ArrayList<>())
            .apply(console.settings(owner.email()));
    core.flushUsage();
    @Nullable InetAddress client = clients.clientOf(exchange).orElse(null);
    return Response.of(200, Json.preview(console.preview(owner.email(), proposed, client)));
  }

  private Response setPermission(UserAccount owner, String email, ApiRequest exchange) {
    ObjectNode body = body(exchange, withConfirmLockout(Set.of("allowed", "until")));
    List<String> problems = new ArrayList<>();
    @Nullable Boolean allowed = bool(body, "allowed", problems);
    @Nullable Instant until = instant(body, "until", problems);
    boolean confirmed = confirmLockout(body, problems);
    if (allowed == null || !problems.isEmpty()) {
      throw new HttpError(400, Json.error("invalid request", problems));
    }
    console.setPermission(
        owner.email(),
        email,
        allowed,
        until,
        ChangeOptions.guarded().withLockoutConfirmed(confirmed));
    return Response.of(204, null);
  }

  /**
   * {@code GET .../users/{email}/tokenPermission}: whether the user holds the permission now, and
   * the end of their grant ({@code null} for none, or no grant). A grant whose end has passed gives
   * {@code allowed: false} with that end.
   */
  /**
   * {@code GET /api/v0/corps/{corp}/users}: the corp's users (those the gateway was started with),
   * each with their role, whether they hold the token permission now and the end of their grant.
   */
  private Response users(UserAccount owner) {
    Map<String, PermissionGrant> grants = new HashMap<>();
    for (PermissionGrant grant : console.permissionGrants(owner.email())) {
      grants.put(grant.email().toLowerCase(Locale.ROOT), grant);
    }
    Instant now = Instant.ofEpochMilli(clock.millis());
    ArrayNode data = Json.MAPPER.createArrayNode();
    for (UserAccount user : usersByCorp.getOrDefault(owner.corp(), List.of())) {
      @Nullable PermissionGrant grant = grants.get(user.email().toLowerCase(Locale.ROOT));
      ObjectNode node =
          Json.permission(grant != null && grant.heldAt(now), grant == null ? null : grant.until());
      ObjectNode row = Json.object().put("email", user.email()).put("role", user.role().name());
      row.setAll(node);
      data.add(row);
    }
    return Response.of(200, Json.object().set("data", data));
  }

  private Response permission(UserAccount owner, String email) {
    Optional<PermissionGrant> grant = console.permissionGrant(owner.email(), email);
    Instant now = Instant.ofEpochMilli(clock.millis());
    return Response.of(
        200,
        Json.permission(
            grant.isPresent() && grant.get().heldAt(now),
            grant.isPresent() ? grant.get().until() : null));
  }

  /**
   * {@code POST /api/v0/_leaks?source=...} with the text as a {@code text/plain} body: revokes the
   * tokens of this deployment in it whose secret verifies ({@link
   * dev.authcore.TokenIssuer#revokeLeaked}). Open to anyone: no credentials are read. The body is
   * read byte for byte (as ISO-8859-1): tokens are ASCII, so they are found alike in UTF-8,
   * US-ASCII and ISO-8859-1 text, and in a body that is not valid UTF-8 at all (a binary log); at
   * most {@link #MAX_BODY_BYTES} bytes, which is the most auth-core reads in one report.
   */
  private Response reportLeak(ApiRequest exchange) {
    @Nullable String unsupported = textPlainProblem(exchange.headers("Content-Type"));
    if (unsupported != null) {
      throw new HttpError(415, Json.error(unsupported));
    }
    Map<String, String> params = query(exchange, Set.of("source"));
    String text = new String(exchange.body(), StandardCharsets.ISO_8859_1);
    return Response.of(
        200, Json.leakReport(core.issuer().revokeLeaked(text, params.get("source"))));
  }

  /** The charsets a leak report may declare: those in which a token's ASCII is its own bytes. */
  private static final Set<String> LEAK_CHARSETS = Set.of("utf-8", "us-ascii", "iso-8859-1");

  /**
   * Why {@code values}, the request's {@code Content-Type} headers, are not one {@code text/plain}
   * (optionally with a {@code charset} of UTF-8, US-ASCII or ISO-8859-1, any case, quoted or not;
   * other parameters are ignored), or {@code null} if they are.
   */
  static @Nullable String textPlainProblem(List<String> values) {
    String expected =
        "a leak report's body is the text itself: send it with Content-Type: text/plain"
            + " (charset UTF-8, US-ASCII or ISO-8859-1)";
    if (values.size() != 1) {
      return values.isEmpty()
          ? expected + "; the request has no Content-Type"
          : expected + "; the request has " + values.size() + " Content-Type headers";
    }
    String[] parts = values.get(0).split(";", -1);
    String type = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
    if (!type.equals("text/plain")) {
      return expected + "; got " + SecretRedactor.escape(values.get(0));
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      int eq = parameter.indexOf('=');
      String name = (eq < 0 ? parameter : parameter.substring(0, eq)).strip();
      if (!name.equalsIgnoreCase("charset")) {
        continue;
      }
      String charset = eq < 0 ? "" : parameter.substring(eq + 1).strip();
      if (charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")) {
        charset = charset.substring(1, charset.length() - 1);
      }
      if (!LEAK_CHARSETS.contains(charset.toLowerCase(java.util.Locale.ROOT))) {
        return expected + "; got charset " + SecretRedactor.escape(charset);
      }
    }
    return null;
  }

  private Response advanceClock(ApiRequest exchange, FakeClock clock) {
    ObjectNode body = body(exchange, Set.of("advance"));
    List<String> problems = new ArrayList<>();
    @Nullable String text = string(body, "advance", true, problems);
    if (text == null) {
      throw new HttpError(400, Json.error("invalid request", problems));
    }
    Duration by;
    try {
      by = Duration.parse(text);
    } catch (DateTimeException e) {
      throw new HttpError(
          400,
          Json.error(
              "invalid request",
              List.of("advance must be an ISO-8601 duration such as P60D or PT1H30M")));
    }
    if (by.isNegative()) {
      throw new HttpError(
          400, Json.error("invalid request", List.of("advance must not be negative")));
    }
    if (by.toNanosPart() % 1_000_000 != 0) {
      throw new HttpError(
          400, Json.error("invalid request", List.of("advance must be whole milliseconds")));
    }
    // The fake clock counts epoch milliseconds in a long; it refuses a move past that range.
    if (by.compareTo(Duration.ofMillis(Long.MAX_VALUE - clock.millis())) > 0) {
      throw new HttpError(
          400,
          Json.error(
              "invalid request",
              List.of("advance would move the clock past the range of epoch milliseconds")));
    }
    Instant now = clock.advance(by);
    LOG.log(Level.INFO, "fake clock advanced by " + by + " to " + now);
    // The notices due at the new instant go out before the answer, so a client that moved the
    // clock finds them in the audit log. A store failure answers 503 (the clock has moved
    // nonetheless; the minute schedule sends them).
    core.sweepExpiryNotices();
    ObjectNode out = Json.object();
    Json.putInstant(out, "now", now);
    return Response.of(200, out);
  }

  // ---- request parsing -----------------------------------------------------------------------

  private static final Set<String> SETTINGS_FIELDS =
      Set.of("expiryDays", "restricted", "allowedIps", "inactiveDays", "stagedAllowedIps");

  /**
   * The settings in a {@code {"expiryDays","restricted","allowedIps","inactiveDays",
   * "stagedAllowedIps"}} body, adding to {@code problems} found before, as a change to the settings
   * in force: the first three are required; {@code inactiveDays} and {@code stagedAllowedIps} are
   * optional, and absent keeps the value in force, so clients that do not know them keep working.
   * {@code stagedAllowedIps} {@code ""} or {@code null} discards the staged list.
   *
   * @throws HttpError 400 listing every problem, if there is any, or the staged list's bad lines
   */
  private static UnaryOperator<TokenSettings> settingsOf(ObjectNode body, List<String> problems) {
    @Nullable Integer days = days(body, "expiryDays", true, problems);
    @Nullable Integer inactiveDays = inactiveDays(body, problems);
    @Nullable Boolean restricted = bool(body, "restricted", problems);
    @Nullable String ips = string(body, "allowedIps", false, problems);
    if (!body.has("allowedIps")) {
      problems.add("allowedIps is required (\"\" for no IP restriction)");
    }
    boolean staging = body.has("stagedAllowedIps");
    @Nullable String stagedText = string(body, "stagedAllowedIps", false, problems);
    if (!problems.isEmpty() || restricted == null) {
      throw new HttpError(400, Json.error("invalid request", problems));
    }
    IpAllowList allowed = IpAllowList.parse(ips == null ? "" : ips);
    @Nullable IpAllowList staged;
    try {
      staged = stagedText == null ? null : IpAllowList.parse(stagedText);
    } catch (AllowListException e) {
      throw new HttpError(
          400,
          Json.allowListError(
              "invalid allow list in stagedAllowedIps; nothing was changed", e.problems()));
    }
    ExpiryPolicy expiry = days == null ? ExpiryPolicy.never() : ExpiryPolicy.days(days);
    boolean restrict = restricted;
    return current ->
        new TokenSettings(
                expiry,
                restrict,
                allowed,
                body.has("inactiveDays") ? inactiveDays : current.inactiveDays(),
                current.staged())
            .withStagedAllowedIps(
                staging ? staged : current.staged() == null ? null : current.staged().allowedIps(),
                Instant.EPOCH);
  }

  /** {@code inactiveDays}: absent or null gives {@code null}; else a whole number from 7 to 365. */
  private static @Nullable Integer inactiveDays(ObjectNode body, List<String> problems) {
    JsonNode value = body.get("inactiveDays");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < TokenSettings.MIN_INACTIVE_DAYS
        || value.intValue() > TokenSettings.MAX_INACTIVE_DAYS) {
      problems.add(
          "inactiveDays must be a whole number of days from "
              + TokenSettings.MIN_INACTIVE_DAYS
              + " to "
              + TokenSettings.MAX_INACTIVE_DAYS
              + ", or null for no inactivity expiry");
      return null;
    }
    return value.intValue();
  }

  /**
   * The request body as a JSON object with only {@code allowed} fields.
   *
   * @throws HttpError 400 if it is missing, not JSON, not an object or has other fields (the HTTP
   *     server has already answered 413 to a body over {@link #MAX_BODY_BYTES})
   */
  private static ObjectNode body(ApiRequest exchange, Set<String> allowed) {
    byte[] bytes = exchange.body();
    if (bytes.length == 0) {
      throw HttpError.badRequest("a JSON object body is required");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      // Jackson's message may quote the body; name only where it broke.
      TokenStreamLocation at = e.getLocation();
      throw new HttpError(
          400,
          Json.error(
              "the request body is not valid JSON",
              at == null
                  ? List.of()
                  : List.of("at line " + at.getLineNr() + ", column " + at.getColumnNr())));
    }
    if (node == null || !node.isObject()) {
      throw HttpError.badRequest("the request body must be a JSON object");
    }
    List<String> unknown = new ArrayList<>();
    for (String field : node.propertyNames()) {
      if (!allowed.contains(field)) {
        unknown.add(
            "unknown field '"
                + GatewayOptions.printable(field)
                + "'; expected "
                + new java.util.TreeSet<>(allowed));
      }
    }
    if (!unknown.isEmpty()) {
      throw new HttpError(400, Json.error("invalid request", unknown));
    }
    return (ObjectNode) node;
  }

  private static @Nullable String string(
      ObjectNode body, String field, boolean required, List<String> problems) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        problems.add(field + " is required");
      }
      return null;
    }
    if (!value.isString()) {
      problems.add(field + " must be a string");
      return null;
    }
    return value.stringValue();
  }

  /** {@code fields} and the optional {@code confirmLockout}. */
  private static Set<String> withConfirmLockout(Set<String> fields) {
    Set<String> all = new java.util.HashSet<>(fields);
    all.add("confirmLockout");
    return Set.copyOf(all);
  }

  /**
   * The optional {@code "confirmLockout"}: absent is {@code false}; anything but {@code true} or
   * {@code false} ({@code null} included) is a problem.
   */
  private static boolean confirmLockout(ObjectNode body, List<String> problems) {
    if (!body.has("confirmLockout")) {
      return false;
    }
    JsonNode value = body.get("confirmLockout");
    if (value == null || !value.isBoolean()) {
      problems.add("confirmLockout must be true or false when given");
      return false;
    }
    return value.booleanValue();
  }

  private static @Nullable Boolean bool(ObjectNode body, String field, List<String> problems) {
    JsonNode value = body.get(field);
    if (value == null || !value.isBoolean()) {
      problems.add(field + " is required: true or false");
      return null;
    }
    return value.booleanValue();
  }

  /**
   * An optional ISO-8601 instant ({@code 2027-01-31T17:00:00Z}): absent or {@code null} is {@code
   * null}; anything else that does not parse is a problem naming the field.
   */
  private static @Nullable Instant instant(ObjectNode body, String field, List<String> problems) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String malformed =
        field + " must be an ISO-8601 instant such as 2027-01-31T17:00:00Z, or null for none";
    if (!value.isString()) {
      problems.add(malformed);
      return null;
    }
    try {
      return Instant.parse(value.stringValue());
    } catch (java.time.format.DateTimeParseException e) {
      problems.add(malformed + "; got '" + GatewayOptions.printable(value.stringValue()) + "'");
      return null;
    }
  }

  /** Days from 1 to 3,650, or {@code null}; {@code present} makes the field itself required. */
  private static @Nullable Integer days(
      ObjectNode body, String field, boolean present, List<String> problems) {
    JsonNode value = body.get(field);
    if (value == null) {
      if (present) {
        problems.add(field + " is required: a number of days from 1 to 3650, or null for none");
      }
      return null;
    }
    if (value.isNull()) {
      return null;
    }
    int max = (int) ExpiryPolicy.MAX_AGE.toDays();
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < 1
        || value.intValue() > max) {
      problems.add(
          field + " must be a whole number of days from 1 to " + max + ", or null for none");
      return null;
    }
    return value.intValue();
  }

  /**
   * The query parameters, only {@code allowed} ones, each at most once; empty values count as
   * absent.
   */
  private static Map<String, String> query(ApiRequest exchange, Set<String> allowed) {
    String raw = exchange.rawQuery();
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    List<String> problems = new ArrayList<>();
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
      String value = decodeQuery(eq < 0 ? "" : pair.substring(eq + 1));
      if (!allowed.contains(name)) {
        problems.add(
            "unknown parameter '"
                + GatewayOptions.printable(name)
                + "'; expected "
                + new java.util.TreeSet<>(allowed));
      } else if (out.containsKey(name)) {
        problems.add("parameter '" + name + "' given twice");
      } else if (!value.isEmpty()) {
        out.put(name, value);
      }
    }
    if (!problems.isEmpty()) {
      throw new HttpError(400, Json.error("invalid query", problems));
    }
    return out;
  }

  /** The token status named {@code text} ignoring case, or {@code null} if none is. */
  private static @Nullable TokenStatus statusNamed(String text) {
    for (TokenStatus status : TokenStatus.values()) {
      if (status.name().equalsIgnoreCase(text)) {
        return status;
      }
    }
    return null;
  }

  /**
   * {@code text} of a query string decoded: {@code +} is a space, {@code %XX} a byte of UTF-8
   * (bytes that are not UTF-8 read as U+FFFD).
   *
   * @throws HttpError 400 if a {@code %} is not followed by two hexadecimal digits
   */
  private static String decodeQuery(String text) {
    if (BAD_ESCAPE.matcher(text).find()) {
      throw HttpError.badRequest("malformed percent-encoding in the query");
    }
    return URLDecoder.decode(text, StandardCharsets.UTF_8); // every escape is well-formed now
  }

  /** The path's segments, percent-decoded as UTF-8 ({@code +} stays a plus). */
  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      out.add(percentDecode(segment));
    }
    return out;
  }

  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw HttpError.badRequest("malformed percent-encoding in the path");
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw HttpError.badRequest("malformed percent-encoding in the path");
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw HttpError.badRequest("the path is not UTF-8 once percent-decoded");
    }
  }

  private static Response notFound() {
    return Response.of(404, Json.error("not found"));
  }

  private static String path(ApiRequest exchange) {
    return GatewayOptions.printable(String.valueOf(exchange.rawPath()));
  }

  private static ApiResponse send(Response response) {
    Map<String, String> headers = new HashMap<>(response.headers());
    headers.put("Cache-Control", "no-store");
    if (response.body() == null) {
      return new ApiResponse(response.status(), headers, null);
    }
    // Errors may echo input (an allow-list line); a token pasted there must not come back.
    byte[] bytes =
        response.status() < 400
            ? Json.MAPPER.writeValueAsBytes(response.body())
            : Redaction.tokens(Json.MAPPER.writeValueAsString(response.body()))
                .getBytes(StandardCharsets.UTF_8);
    headers.put("Content-Type", "application/json; charset=utf-8");
    return new ApiResponse(response.status(), headers, bytes);
  }
}
