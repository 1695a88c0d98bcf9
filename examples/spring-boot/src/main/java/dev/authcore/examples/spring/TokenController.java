package dev.authcore.examples.spring;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.Verification;
import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenPage;
import dev.authcore.console.TokenQuery;
import dev.authcore.console.TokenRow;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.TokenId;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token-management API, for the caller that {@link ApiTokenFilter} let in.
 *
 * <ul>
 *   <li>{@code GET /api/whoami}: the caller, {@code
 *       {"authenticated":true,"corp","email","tokenId","tokenName"}}.
 *   <li>{@code GET /api/me/tokens}: the caller's tokens, oldest first.
 *   <li>{@code POST /api/me/tokens} {@code {"name":"ci","expiresInDays":30}} ({@code expiresInDays}
 *       optional): 201 {@code {"id","name","token","created","expires"}}, the only answer that ever
 *       holds a token; {@code expires} is the effective expiry under the corp's policy.
 *   <li>{@code DELETE /api/me/tokens/{id}}: 204; it stops working at once. Another user's token is
 *       404.
 *   <li>Owners: {@code GET /api/corp/tokens?status=&creator=&name=&limit=&cursor=}: one page of the
 *       corp's tokens, newest first, {@code {"rows":[...],"nextCursor"}}.
 *   <li>Owners: {@code GET} and {@code PUT /api/corp/settings} {@code {"expiryDays": days or null,
 *       "restricted": bool, "allowedIps": "one entry\nper line"}}; a change that could lock the
 *       corp out is a 409 with the warnings unless sent again with {@code ?confirmLockout=true}.
 * </ul>
 *
 * Refusals are auth-core's exceptions, answered by {@link AuthCoreExceptionHandler}; nothing here
 * checks a role or a rule itself.
 */
@RestController
@RequestMapping("/api")
public class TokenController {
  private final AuthCore core;
  private final TokenConsole console;

  TokenController(AuthCore core, TokenConsole console) {
    this.core = core;
    this.console = console;
  }

  /** The body of {@code POST /api/me/tokens}. */
  record NewToken(@Nullable String name, @Nullable Integer expiresInDays) {}

  /** A token just created, with its plaintext: shown this once. */
  record CreatedToken(
      TokenId id, String name, String token, Instant created, @Nullable Instant expires) {}

  /** A corp's token settings as JSON, read and written alike. */
  record SettingsBody(
      @Nullable Long expiryDays, @Nullable Boolean restricted, @Nullable String allowedIps) {
    static SettingsBody of(TokenSettings settings) {
      return new SettingsBody(
          settings.expiry().maxAgeDays().orElse(null),
          settings.restricted(),
          settings.allowedIps().toText());
    }

    TokenSettings toSettings() {
      if (restricted == null || allowedIps == null) {
        throw new InvalidInputException(
            "settings", "settings need \"restricted\" and \"allowedIps\" (\"\" for anywhere)");
      }
      return new TokenSettings(
          expiryDays == null ? ExpiryPolicy.never() : ExpiryPolicy.days(expiryDays),
          restricted,
          IpAllowList.parse(allowedIps));
    }
  }

  @GetMapping("/whoami")
  Verification.Authenticated whoami(@AuthenticationPrincipal Verification.Authenticated caller) {
    return caller;
  }

  @GetMapping("/me/tokens")
  List<TokenRow> ownTokens(@AuthenticationPrincipal Verification.Authenticated caller) {
    return console.listOwn(caller.email());
  }

  @PostMapping("/me/tokens")
  ResponseEntity<CreatedToken> create(
      @AuthenticationPrincipal Verification.Authenticated caller, @RequestBody NewToken body) {
    if (body.name() == null) {
      throw new InvalidInputException("token name", "a token needs a \"name\"");
    }
    Integer days = body.expiresInDays();
    IssuedToken token =
        core.issuer()
            .issue(caller.email(), body.name(), days == null ? null : Duration.ofDays(days));
    @Nullable Instant expires =
        console.listOwn(caller.email()).stream()
            .filter(row -> row.id().equals(token.id()))
            .findFirst()
            .map(TokenRow::expires) // under the corp's policy as well as the token's own
            .orElse(token.expiresAt());
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(
            new CreatedToken(
                token.id(), token.name(), token.revealPlaintext(), token.created(), expires));
  }

  @DeleteMapping("/me/tokens/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@AuthenticationPrincipal Verification.Authenticated caller, @PathVariable String id) {
    TokenId token = TokenId.parse(id);
    // An owner may delete any token of the corp, but not through the "own tokens" path.
    if (console.listOwn(caller.email()).stream().noneMatch(row -> row.id().equals(token))) {
      throw new NotFoundException("you have no token " + token);
    }
    core.issuer().delete(caller.email(), token);
  }

  @GetMapping("/corp/tokens")
  TokenPage corpTokens(
      @AuthenticationPrincipal Verification.Authenticated caller,
      @RequestParam(required = false) @Nullable TokenStatus status,
      @RequestParam(required = false) @Nullable String creator,
      @RequestParam(required = false) @Nullable String name,
      @RequestParam(defaultValue = "" + TokenQuery.DEFAULT_LIMIT) int limit,
      @RequestParam(required = false) @Nullable String cursor) {
    return console.listCorp(
        caller.email(),
        TokenQuery.all()
            .withStatus(status)
            .withCreator(creator)
            .withNameContaining(name)
            .withLimit(limit)
            .withCursor(cursor));
  }

  @GetMapping("/corp/settings")
  SettingsBody settings(@AuthenticationPrincipal Verification.Authenticated caller) {
    return SettingsBody.of(console.settings(caller.email()));
  }

  @PutMapping("/corp/settings")
  SettingsBody updateSettings(
      ApiTokenAuthentication caller,
      @RequestBody SettingsBody body,
      @RequestParam(defaultValue = "false") boolean confirmLockout) {
    ChangeOptions options =
        ChangeOptions.guarded()
            .withActorAddress(
                caller.clientAddress()) // refuses a list that would shut the owner out
            .withLockoutConfirmed(confirmLockout);
    // This body has no inactivity field: the days in force stay as they are.
    TokenSettings proposed =
        body.toSettings().withInactiveDays(console.settings(caller.getName()).inactiveDays());
    return SettingsBody.of(console.updateSettings(caller.getName(), proposed, options));
  }
}
