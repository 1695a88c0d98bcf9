package dev.authcore.console;

import dev.authcore.AuthCore;
import dev.authcore.TokenIssuer;
import dev.authcore.internal.Emails;
import dev.authcore.internal.LogSafe;
import dev.authcore.internal.wiring.Actors;
import dev.authcore.internal.wiring.ConsoleAccess;
import dev.authcore.internal.wiring.ConsoleAudit;
import dev.authcore.internal.wiring.ConsoleParts;
import dev.authcore.internal.wiring.CorpStates;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.AllowListProblem;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryCause;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import dev.authcore.spi.BlockedTally;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The console operations of a corp's owners and users over one {@link AuthCore} deployment.
 *
 * <p><b>Who may do what.</b> Every operation takes the acting user's email and checks it against
 * the user directory. Any user lists their own tokens and deletes them. Only owners read and change
 * the corp's settings, grant and revoke the token permission, list the whole corp and delete other
 * users' tokens; anyone else gets a {@link PermissionDeniedException} and nothing changes.
 *
 * <p><b>Consistency.</b> Each change is one atomic store operation: a bad request (malformed input,
 * no permission) changes nothing. Changes take effect on this node's verifier before the call
 * returns (the console drops the node's cached corp state right after the store accepts the change,
 * whether or not the store tells its listeners) and on other nodes within the cache bound. Settings
 * changes are compare-and-set, so the before and after in each {@link
 * dev.authcore.AuditEvent.SettingsChanged} are exact even under concurrent owners.
 *
 * <p><b>How it reaches the deployment.</b> A console works on the deployment's store, user
 * directory, clock, corp cache and audit publisher, none of which the deployment offers publicly (a
 * public accessor would let any caller write to the store past the rules or forge events). {@link
 * #of} receives them through a lookup inside auth-core's module (in a package the module does not
 * export) that only the deployment class installs; a console therefore exists only on top of a real
 * deployment, and everything it changes goes through the checks below.
 *
 * <p><b>Lock-out guard.</b> A change that could lock the corp out is refused with a {@link
 * LockoutException} (a {@link ConflictException} of kind {@code LOCKOUT}, carrying the warnings a
 * preview gives) unless its {@link ChangeOptions} confirm it:
 *
 * <ul>
 *   <li>switching the corp to restricted while no owner of the corp holds the token permission (no
 *       owner could then use a token, so nobody could undo the change with one);
 *   <li>revoking the permission of the last owner holding it while the corp is restricted;
 *   <li>replacing the allow list with one that refuses the acting owner's own address, when the
 *       options give that address.
 * </ul>
 *
 * Every other change is made as before, without confirmation: a change that keeps a lock-out
 * already in force (an expiry change in a corp that is restricted with no owner permitted) is not a
 * new lock-out. Owners are the users the directory gives the {@code OWNER} role in the corp. The
 * guard reads the state it judges just before the change, like the change itself: two owners who
 * revoke each other's permission at the same moment can both pass it.
 *
 * <p><b>Statuses</b> are evaluated when listing, under the settings in force then (expiry is never
 * stored). Last use reaches the store in batches, so it lags by up to the usage flush interval.
 *
 * <p><b>Arguments</b> are checked before anything else: a null throws {@link NullPointerException}
 * (except where a parameter says it may be null), then the actor is resolved, then their right to
 * act, then the request's contents.
 *
 * <p>Thread-safe. Store failures throw {@link StoreUnavailableException}.
 */
public final class TokenConsole {
  private static final int SCAN_BATCH = 500;
  private static final int CAS_ATTEMPTS = 10;
  private static final String CURSOR_PREFIX = "c1.";
  private static final int NAMED_TOKENS = 10;

  private final TokenStore store;
  private final Actors actors;
  private final InstantSource clock;
  private final CorpStates corpStates;
  private final ConsoleAudit audit;
  private final TokenIssuer issuer;

  private TokenConsole(ConsoleParts parts, TokenIssuer issuer) {
    this.store = parts.store();
    this.actors = parts.actors();
    this.clock = parts.clock();
    this.corpStates = parts.corpStates();
    this.audit = parts.audit();
    this.issuer = issuer;
  }

  /**
   * The console of {@code core}'s deployment. Cheap: it holds only references to the deployment's
   * parts, so a gateway may keep one or ask again.
   *
   * @throws NullPointerException if {@code core} is null
   */
  public static TokenConsole of(AuthCore core) {
    Objects.requireNonNull(core, "core");
    return new TokenConsole(ConsoleAccess.partsOf(core), core.issuer());
  }

  // ---- any user ------------------------------------------------------------------------------

  /**
   * The acting user's own account: corp and role, as the user directory has them. For a gateway
   * that decides, before it reads a request, whether the caller may use an owner's endpoint; every
   * operation of this console checks its actor the same way itself.
   *
   * @throws InvalidInputException if the email is malformed
   * @throws NotFoundException if no such user exists
   * @throws StoreUnavailableException if the directory cannot be reached
   */
  public UserAccount account(String actorEmail) {
    return actors.actor(actorEmail);
  }

  /**
   * The acting user's own tokens, oldest first.
   *
   * @throws NotFoundException if the actor is unknown
   */
  public List<TokenRow> listOwn(String actorEmail) {
    UserAccount actor = actors.actor(actorEmail);
    View view = view(actor.corp());
    List<TokenRow> rows = new ArrayList<>();
    for (TokenRecord token : store.listByOwner(actor.corp(), actor.email())) {
      rows.add(view.row(token, view.settings));
    }
    return List.copyOf(rows);
  }

  /**
   * Deletes a token: the actor's own, or as an owner any token of the corp.
   *
   * @throws NotFoundException if the actor is unknown or the corp has no such token
   * @throws PermissionDeniedException if it is another user's token and the actor is no owner
   */
  public void delete(String actorEmail, TokenId id) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(id, "id");
    issuer.delete(actorEmail, id);
  }

  /**
   * Gives one token its own IP allow list, replaces it, or removes it ({@code ""}): the actor's own
   * token, or as an owner any token of the corp (the same rule as {@link TokenIssuer#rotate}). From
   * then on a request with the token must pass both lists, the corp's (if any) and the token's (if
   * any); a refusal by either is {@code IP_NOT_ALLOWED}, and the rejection's event says which list
   * refused ({@link dev.authcore.AuditEvent.TokenRejected#refusedBy()}).
   *
   * <p>The text has the corp list's syntax and is parsed as strictly, with the same line-numbered
   * problems ({@link IpAllowList#parse}). Since a client must pass the corp's list too, a list of
   * which no address is allowed by the corp's list in force is refused (it could never be used),
   * and one that lies partly outside it is accepted with a warning naming the part that can never
   * match ({@link IpAllowList#parseWithin}). A later change of the corp's list is not refused
   * because of token lists: a token whose list then lies outside simply stops passing, and the
   * {@linkplain #preview(String, TokenSettings) preview} of such a change reports it.
   *
   * <p>The change applies on this node's verifier before the call returns, and on other nodes when
   * the store tells them or within the cache bound, like corp settings. Rotation keeps the list.
   * Publishes {@link dev.authcore.AuditEvent.TokenAllowListChanged}.
   *
   * @param allowedIps the list, one entry per line; empty or blank text removes the token's list
   * @return the list now in force for the token, as canonical text, with warnings
   * @throws NotFoundException if the actor is unknown, or the actor's corp has no token with this
   *     id (also when it was deleted meanwhile)
   * @throws PermissionDeniedException if the token is another user's and the actor is not an owner
   * @throws dev.authcore.net.AllowListException if the text is not a valid list, or lies wholly
   *     outside the corp's list; every problem with its line number; nothing changed
   */
  public TokenAllowList setAllowedIps(String actorEmail, TokenId id, String allowedIps) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(allowedIps, "allowedIps");
    UserAccount actor = actors.actor(actorEmail);
    TokenRecord token = Actors.changeableToken(store, actor, id, "change the allow list of");
    IpAllowList list =
        IpAllowList.parseWithin(allowedIps, store.settings(token.corp()).allowedIps());
    String text = list.toText();
    Optional<TokenRecord> changed = store.setAllowedIps(id, text.isEmpty() ? null : text);
    if (changed.isEmpty()) {
      throw new NotFoundException("no token " + id + " in corp " + actor.corp());
    }
    // Dropped here, where the change is made: a store need not tell this node of its own changes.
    corpStates.forgetToken(id);
    audit.tokenAllowListChanged(now(), actor.email(), changed.get());
    List<String> warnings = new ArrayList<>(list.warnings().size());
    for (AllowListProblem warning : list.warnings()) {
      warnings.add(describe(warning));
    }
    return new TokenAllowList(text, warnings);
  }

  // ---- owners --------------------------------------------------------------------------------

  /**
   * One page of the corp's tokens, newest first, filtered by the query. With {@link
   * TokenQuery#expiringWithinDays} it lists the tokens whose effective expiry, under the policy in
   * force now, is after now and at most that many days away (the tokens about to get an expiry
   * notice, see {@link AuthCore#sweepExpiryNotices()}), whatever their status otherwise.
   *
   * @throws NotFoundException if the actor is unknown
   * @throws InvalidInputException if the cursor is malformed
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public TokenPage listCorp(String actorEmail, TokenQuery query) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(query, "query");
    UserAccount owner = owner(actorEmail, "list every token of the corp");
    View view = view(owner.corp()).withBlocked(store, owner.corp());
    @Nullable ListPosition position = decodeCursor(query.cursor());
    @Nullable String nameNeedle =
        query.nameContains() == null ? null : query.nameContains().toLowerCase(Locale.ROOT);
    List<TokenRow> rows = new ArrayList<>(query.limit());
    int batchSize = Math.max(query.limit(), 100);
    while (rows.size() < query.limit()) {
      List<TokenRecord> batch = store.listCorp(owner.corp(), query.creator(), position, batchSize);
      for (TokenRecord token : batch) {
        position = ListPosition.of(token);
        if (nameNeedle != null && !token.name().toLowerCase(Locale.ROOT).contains(nameNeedle)) {
          continue;
        }
        TokenRow row = view.row(token, view.settings);
        if ((query.status() == null || row.status() == query.status())
            && (query.expiringWithinDays() == null
                || expiresWithin(row, view.now, query.expiringWithinDays()))) {
          rows.add(row);
          if (rows.size() == query.limit()) {
            return new TokenPage(rows, encodeCursor(position));
          }
        }
      }
      if (batch.size() < batchSize) {
        break;
      }
      // A filter that matches rarely reads on in larger batches, so a page costs few store calls.
      batchSize = Math.max(batchSize, Math.min(batchSize * 2, SCAN_BATCH));
    }
    return new TokenPage(rows, null);
  }

  /**
   * The corp's token settings.
   *
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public TokenSettings settings(String actorEmail) {
    return store.settings(owner(actorEmail, "read the corp's token settings").corp());
  }

  /**
   * Replaces the corp's token settings, refusing a change that could leave no owner able to use a
   * token; the same as {@link #updateSettings(String, TokenSettings, ChangeOptions)} with {@link
   * ChangeOptions#guarded()}.
   *
   * @return the settings now in force
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws LockoutException if the change would restrict the corp while no owner holds the token
   *     permission
   * @throws ConflictException if other owners kept changing the settings meanwhile
   */
  public TokenSettings updateSettings(String actorEmail, TokenSettings updated) {
    return updateSettings(actorEmail, updated, ChangeOptions.guarded());
  }

  /**
   * Replaces the corp's token settings. Nothing else changes: restricting deletes no token and
   * forgets no permission. Unless {@code options} confirm a lock-out, a change is refused that
   * switches the corp to restricted while no owner of the corp holds the token permission, or that
   * replaces the allow list with one refusing {@link ChangeOptions#actorAddress()} (see the class
   * documentation); the refusal carries the warnings {@link #preview(String, TokenSettings,
   * InetAddress)} gives for the same change and address. Saving settings equal to those in force
   * changes nothing and is never refused.
   *
   * @return the settings now in force
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws LockoutException if the change could lock the corp out and {@code options} do not
   *     confirm it; nothing changed
   * @throws ConflictException of kind {@code CONCURRENT_CHANGE} if other owners kept changing the
   *     settings meanwhile
   */
  public TokenSettings updateSettings(
      String actorEmail, TokenSettings updated, ChangeOptions options) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(updated, "updated");
    Objects.requireNonNull(options, "options");
    UserAccount owner = owner(actorEmail, "change the corp's token settings");
    return change(owner, before -> updated, options);
  }

  /**
   * Changes the corp's token settings by applying {@code change} to the settings in force, as one
   * atomic step: if another owner changes them meanwhile, {@code change} is applied again to theirs
   * (so it must have no other effect). Use it to change some fields and keep the others as they are
   * at the moment of saving, which reading the settings and then calling {@link #updateSettings}
   * cannot promise. Otherwise as {@link #updateSettings(String, TokenSettings, ChangeOptions)}.
   *
   * @param change from the settings in force to the settings wanted; an exception it throws (such
   *     as {@link InvalidInputException}) propagates, and nothing changes
   * @return the settings now in force
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws LockoutException if the change could lock the corp out and {@code options} do not
   *     confirm it; nothing changed
   * @throws ConflictException of kind {@code CONCURRENT_CHANGE} if other owners kept changing the
   *     settings meanwhile
   */
  public TokenSettings changeSettings(
      String actorEmail, UnaryOperator<TokenSettings> change, ChangeOptions options) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(options, "options");
    UserAccount owner = owner(actorEmail, "change the corp's token settings");
    return change(owner, change, options);
  }

  /**
   * Puts the corp's staged allow list in force in place of the current list, and stages none, as
   * one atomic step with the usual checks: like saving settings with {@code allowedIps} set to the
   * staged list, a list that would refuse {@link ChangeOptions#actorAddress()} is refused unless
   * {@code options} confirm the lock-out. The counts of what it would have refused are kept no
   * longer (the list now refuses those requests).
   *
   * @return the settings now in force
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws ConflictException of kind {@code NOTHING_STAGED} if no list is staged; of kind {@code
   *     CONCURRENT_CHANGE} if other owners kept changing the settings meanwhile
   * @throws LockoutException if the list would refuse the actor's address and {@code options} do
   *     not confirm it; nothing changed
   */
  public TokenSettings enforceStaged(String actorEmail, ChangeOptions options) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(options, "options");
    UserAccount owner = owner(actorEmail, "enforce the corp's staged allow list");
    return change(
        owner,
        before -> {
          if (before.staged() == null) {
            throw new ConflictException(
                ConflictException.Kind.NOTHING_STAGED,
                "corp "
                    + owner.corp()
                    + " has no allow list staged: stage one (stagedAllowedIps) before enforcing"
                    + " it");
          }
          return before.withStagedEnforced();
        },
        options);
  }

  /** The compare-and-set loop behind every settings change. */
  private TokenSettings change(
      UserAccount owner, UnaryOperator<TokenSettings> change, ChangeOptions options) {
    for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      TokenSettings before = store.settings(owner.corp());
      TokenSettings updated = stamped(before, Objects.requireNonNull(change.apply(before)));
      if (before.equals(updated)) {
        return before;
      }
      if (!options.lockoutConfirmed()) {
        List<String> lockouts = lockouts(owner, before, updated, options.actorAddress());
        if (!lockouts.isEmpty()) {
          throw new LockoutException(
              "refused to change the token settings of corp "
                  + owner.corp()
                  + ": "
                  + String.join(" ", lockouts)
                  + " Nothing was changed; confirm the lock-out to make the change anyway.",
              previewOf(owner, updated, options.actorAddress()).warnings());
        }
      }
      if (store.replaceSettings(owner.corp(), before, updated)) {
        // Dropped here, where the change is made: a store need not tell this node of its own
        // changes, and the verifier must apply this one before the call returns.
        corpStates.forgetCorp(owner.corp());
        audit.settingsChanged(now(), owner.corp(), owner.email(), before, updated);
        return updated;
      }
    }
    throw new ConflictException(
        ConflictException.Kind.CONCURRENT_CHANGE,
        "the token settings of corp "
            + owner.corp()
            + " changed "
            + CAS_ATTEMPTS
            + " times while saving; try again");
  }

  /**
   * {@code updated} with its staged list's instant set by this save: the instant of the list staged
   * before if it is the same list (its counts go on), else now, and always after the instant of the
   * list it replaces (its counts start afresh).
   */
  private TokenSettings stamped(TokenSettings before, TokenSettings updated) {
    @Nullable StagedAllowList staged = updated.staged();
    if (staged == null) {
      return updated;
    }
    @Nullable StagedAllowList was = before.staged();
    if (was != null && was.allowedIps().equals(staged.allowedIps())) {
      return staged.equals(was) ? updated : updated.withStaged(was);
    }
    // Each staging's instant keys its counts, so another list staged in the same millisecond as
    // the one it replaces gets the next millisecond: its counts start afresh.
    Instant now = now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    if (was != null && !now.isAfter(was.since())) {
      now = was.since().plusMillis(1);
    }
    return staged.since().equals(now)
        ? updated
        : updated.withStaged(new StagedAllowList(staged.allowedIps(), now));
  }

  /**
   * Which users of the corp hold the token permission now, as lookup keys (ASCII lower-cased
   * emails): grants whose end has passed are left out. {@link #permissionGrants} lists every grant
   * with its end.
   *
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public Set<String> permittedUsers(String actorEmail) {
    String corp = owner(actorEmail, "see who holds the token permission").corp();
    return PermissionGrant.holdersAt(store.permissionGrants(corp), now());
  }

  /**
   * Every grant of the token permission in the corp, ordered by lookup key, each with its end (or
   * none). A grant whose end has passed is listed too, with that end: the user no longer holds the
   * permission ({@link PermissionGrant#heldAt}), and the grant stays listed until an owner grants
   * the permission again or revokes it.
   *
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public List<PermissionGrant> permissionGrants(String actorEmail) {
    return store.permissionGrants(owner(actorEmail, "see who holds the token permission").corp());
  }

  /**
   * The grant of the token permission of one user of the corp, with its end, as {@link
   * #permissionGrants} lists it; empty if the user has none. The user holds the permission at an
   * instant if the grant is {@linkplain PermissionGrant#heldAt held} then.
   *
   * @throws NotFoundException if the actor is unknown, or the corp has no such user (users of other
   *     corps included)
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public Optional<PermissionGrant> permissionGrant(String actorEmail, String userEmail) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(userEmail, "userEmail");
    UserAccount owner = owner(actorEmail, "see who holds the token permission");
    Optional<UserAccount> user = actors.find(userEmail);
    if (user.isEmpty() || !user.get().corp().equals(owner.corp())) {
      throw new NotFoundException(
          "no user '" + LogSafe.escape(userEmail) + "' in corp " + owner.corp());
    }
    String key = user.get().emailKey();
    for (PermissionGrant grant : store.permissionGrants(owner.corp())) {
      if (grant.email().equals(key)) {
        return Optional.of(grant);
      }
    }
    return Optional.empty();
  }

  /**
   * Grants or revokes a user's token permission, refusing to revoke the last owner's permission in
   * a restricted corp; the same as {@link #setPermission(String, String, boolean, ChangeOptions)}
   * with {@link ChangeOptions#guarded()}.
   *
   * @throws NotFoundException if the actor is unknown, or the corp has no such user (users of other
   *     corps included)
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws LockoutException if the corp is restricted and this would revoke the permission of the
   *     last owner holding it
   */
  public void setPermission(String actorEmail, String userEmail, boolean allowed) {
    setPermission(actorEmail, userEmail, allowed, null, ChangeOptions.guarded());
  }

  /**
   * Grants or revokes a user's token permission (owners may grant it to themselves); a grant has no
   * end. The same as {@link #setPermission(String, String, boolean, Instant, ChangeOptions)} with
   * no end.
   *
   * @throws NotFoundException if the actor is unknown, or the corp has no such user (users of other
   *     corps included)
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws LockoutException if the corp is restricted, this would revoke the permission of the
   *     last owner holding it, and {@code options} do not confirm it; nothing changed
   */
  public void setPermission(
      String actorEmail, String userEmail, boolean allowed, ChangeOptions options) {
    setPermission(actorEmail, userEmail, allowed, null, options);
  }

  /**
   * Grants a user's token permission until {@code until} (or without an end), or revokes it.
   *
   * <p>A grant is remembered whether or not the corp is restricted; in a restricted corp it takes
   * effect at once. It replaces the user's earlier grant, ended or not, with its end. With an end,
   * the user holds the permission strictly before it: from the end instant on (equal included) they
   * do not, exactly as if an owner had revoked it then. In a restricted corp their tokens are then
   * disabled (kept, not deleted; verification rejects them {@code DISABLED}, the listing shows them
   * disabled) and they cannot create tokens, until a new grant brings them back. No sweep is
   * needed: every check compares the end with the deployment's clock. The grant stays stored and
   * {@linkplain #permissionGrants listed} with its end; {@link AuthCore#sweepExpiryNotices()}
   * publishes {@link dev.authcore.AuditEvent.PermissionExpired} once for it.
   *
   * <p><b>Lock-out guard.</b> Unless {@code options} confirm a lock-out, in a restricted corp this
   * refuses revoking the permission of the last owner who holds it, and granting an owner the
   * permission with an end when, from that end on, no other owner would hold it (the same lock-out,
   * arriving at the end instead of now) while some owner holds it now. The options' address is not
   * used: a permission does not depend on where the owner is connected from.
   *
   * @param until the end of the grant, strictly after the deployment's clock now; {@code null} for
   *     a grant without an end, and always for a revocation
   * @throws NotFoundException if the actor is unknown, or the corp has no such user (users of other
   *     corps included)
   * @throws PermissionDeniedException if the actor is not an owner
   * @throws InvalidInputException (field {@code until}) if {@code until} is given with {@code
   *     allowed} false, or is not in the future; nothing changed
   * @throws LockoutException if the change could lock the corp out (above) and {@code options} do
   *     not confirm it; nothing changed
   */
  public void setPermission(
      String actorEmail,
      String userEmail,
      boolean allowed,
      @Nullable Instant until,
      ChangeOptions options) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(userEmail, "userEmail");
    Objects.requireNonNull(options, "options");
    UserAccount owner = owner(actorEmail, "grant or revoke the token permission");
    Optional<UserAccount> user = actors.find(userEmail);
    if (user.isEmpty() || !user.get().corp().equals(owner.corp())) {
      throw new NotFoundException(
          "no user '" + LogSafe.escape(userEmail) + "' in corp " + owner.corp());
    }
    Instant now = now();
    if (until != null && !allowed) {
      throw new InvalidInputException(
          "until",
          "until ("
              + until
              + ") applies only to a grant, not to revoking the token permission of "
              + user.get().email()
              + "; leave it out; nothing was changed");
    }
    if (until != null && !now.isBefore(until)) {
      // the user would hold the permission while now < until: an end at or before now grants
      // nothing
      throw new InvalidInputException(
          "until",
          "until must be in the future: the grant to "
              + user.get().email()
              + " would end at "
              + until
              + ", which is not after now ("
              + now
              + "); nothing was changed");
    }
    String userKey = user.get().emailKey();
    if (!options.lockoutConfirmed()
        && user.get().isOwner()
        && (!allowed || until != null)
        && store.settings(owner.corp()).restricted()) {
      List<PermissionGrant> grants = store.permissionGrants(owner.corp());
      Set<String> heldNow = PermissionGrant.holdersAt(grants, now);
      @Nullable String warning = null;
      if (!allowed
          && heldNow.contains(userKey)
          && !anyOwnerPermitted(owner.corp(), heldNow, userKey)) {
        warning =
            "Revoking the token permission of "
                + user.get().email()
                + " would leave no owner of the restricted corp holding it: no owner could use a"
                + " token, so nobody could undo this with one.";
      } else if (until != null
          && (heldNow.contains(userKey) || anyOwnerPermitted(owner.corp(), heldNow, userKey))
          && !anyOwnerPermitted(owner.corp(), PermissionGrant.holdersAt(grants, until), userKey)) {
        warning =
            "Granting the token permission of "
                + user.get().email()
                + " only until "
                + until
                + " would leave no owner of the restricted corp holding it from then on: no owner"
                + " could use a token, so nobody could undo this with one.";
      }
      if (warning != null) {
        throw new LockoutException(
            "refused to "
                + (allowed ? "grant" : "revoke")
                + " the token permission of "
                + user.get().email()
                + " in corp "
                + owner.corp()
                + ": "
                + warning
                + " Nothing was changed; confirm the lock-out to make the change anyway.",
            List.of(warning));
      }
    }
    boolean before;
    boolean changed;
    if (allowed) {
      Optional<PermissionGrant> previous =
          store.grantPermission(owner.corp(), user.get().email(), until);
      before = previous.isPresent() && previous.get().heldAt(now);
      changed = !before || !Objects.equals(previous.get().until(), until);
    } else {
      // Read before the change: whether the grant was still held, or had ended.
      boolean heldBefore =
          PermissionGrant.holdersAt(store.permissionGrants(owner.corp()), now).contains(userKey);
      boolean removed = store.setPermission(owner.corp(), user.get().email(), false);
      before = removed && heldBefore;
      changed = removed;
    }
    if (changed) {
      // Dropped here, where the change is made (see updateSettings).
      corpStates.forgetCorp(owner.corp());
      audit.permissionChanged(
          now, owner.corp(), owner.email(), user.get().email(), before, allowed, until);
    }
  }

  /**
   * What replacing the settings with {@code proposed} would do; changes nothing.
   *
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public SettingsPreview preview(String actorEmail, TokenSettings proposed) {
    return preview(actorEmail, proposed, null);
  }

  /**
   * What replacing the settings with {@code proposed} would do, also warning if the owner's own
   * current address would be refused.
   *
   * @param actorAddress the address the owner is connected from, or {@code null} if unknown
   * @throws PermissionDeniedException if the actor is not an owner
   */
  public SettingsPreview preview(
      String actorEmail, TokenSettings proposed, @Nullable InetAddress actorAddress) {
    Objects.requireNonNull(actorEmail, "actorEmail");
    Objects.requireNonNull(proposed, "proposed");
    UserAccount owner = owner(actorEmail, "preview a change of the corp's token settings");
    return previewOf(owner, proposed, actorAddress);
  }

  private SettingsPreview previewOf(
      UserAccount owner, TokenSettings proposed, @Nullable InetAddress actorAddress) {
    View view = view(owner.corp());
    List<TokenRow> wouldExpire = new ArrayList<>();
    List<TokenRow> wouldBeDisabled = new ArrayList<>();
    List<TokenRow> wouldBeBlocked = new ArrayList<>();
    List<TokenRow> wouldComeBack = new ArrayList<>();
    List<TokenRecord> neverUsable = new ArrayList<>();
    boolean ownTokensBlocked = false;
    @Nullable ListPosition position = null;
    while (true) {
      List<TokenRecord> batch = store.listCorp(owner.corp(), null, position, SCAN_BATCH);
      for (TokenRecord token : batch) {
        position = ListPosition.of(token);
        TokenRow now = view.row(token, view.settings);
        TokenRow then = view.row(token, proposed);
        if (then.status() == TokenStatus.EXPIRED && now.status() != TokenStatus.EXPIRED) {
          wouldExpire.add(then);
        } else if (then.status() == TokenStatus.DISABLED && now.status() != TokenStatus.DISABLED) {
          wouldBeDisabled.add(then);
        } else if (then.status() == TokenStatus.ACTIVE && now.status() != TokenStatus.ACTIVE) {
          wouldComeBack.add(then);
        }
        @Nullable IpAllowList own = ownList(token.allowedIps());
        // A token whose stored list does not parse is refused from everywhere, before and after.
        boolean refusedAnyway = token.allowedIps() != null && own == null;
        boolean never =
            own != null
                && !proposed.allowedIps().isEmpty()
                && !own.overlaps(proposed.allowedIps())
                && (view.settings.allowedIps().isEmpty()
                    || own.overlaps(view.settings.allowedIps()));
        if (never) {
          neverUsable.add(token);
        }
        if (then.status() == TokenStatus.ACTIVE
            && !refusedAnyway
            && (never
                || refusesRecent(token, own, view.settings.allowedIps(), proposed.allowedIps()))) {
          wouldBeBlocked.add(then);
          ownTokensBlocked |= Emails.same(token.ownerEmail(), owner.email());
        }
      }
      if (batch.size() < SCAN_BATCH) {
        break;
      }
    }
    List<String> warnings = new ArrayList<>();
    if (proposed.restricted() && !view.permitted.contains(owner.emailKey())) {
      warnings.add(
          "You do not hold the token permission: restricting the corp would disable your own"
              + " tokens and stop you creating new ones. Grant yourself the permission first.");
    }
    if (proposed.restricted() && view.permitted.isEmpty()) {
      warnings.add(
          "Nobody holds the token permission: restricting the corp would disable every token.");
    }
    if (proposed.restricted()
        && !view.permitted.contains(owner.emailKey())
        && !anyOwnerPermitted(owner.corp(), view.permitted, null)) {
      warnings.add(NO_OWNER_PERMITTED);
    }
    if (actorAddress != null && !proposed.allowedIps().allows(actorAddress)) {
      warnings.add(refusesActorAddress(actorAddress));
    }
    if (ownTokensBlocked) {
      warnings.add(
          "Some of your own tokens were recently used from addresses the new allow list refuses.");
    }
    if (!neverUsable.isEmpty()) {
      StringBuilder names = new StringBuilder();
      for (int i = 0; i < neverUsable.size() && i < NAMED_TOKENS; i++) {
        TokenRecord t = neverUsable.get(i);
        names.append(i == 0 ? "" : ", ").append(t.name()).append(" (").append(t.id()).append(")");
      }
      if (neverUsable.size() > NAMED_TOKENS) {
        names.append(" and ").append(neverUsable.size() - NAMED_TOKENS).append(" more");
      }
      warnings.add(
          "The own allow lists of some tokens share no address with the new allow list, so those"
              + " tokens could never pass both: "
              + names
              + ".");
    }
    for (AllowListProblem warning : proposed.allowedIps().warnings()) {
      warnings.add(describe(warning));
    }
    return new SettingsPreview(
        wouldExpire, wouldBeDisabled, wouldBeBlocked, wouldComeBack, warnings);
  }

  // ---- internals -----------------------------------------------------------------------------

  private static final String NO_OWNER_PERMITTED =
      "No owner of the corp holds the token permission: once the corp is restricted, no owner"
          + " could use a token, so nobody could undo this with one.";

  private static String refusesActorAddress(InetAddress actorAddress) {
    return "The new allow list refuses the address you are connected from ("
        + ClientAddresses.format(actorAddress)
        + "): your own requests with tokens would be rejected.";
  }

  /**
   * Why changing the settings from {@code before} to {@code after} could lock the corp out, as the
   * preview's warnings; empty if it could not. Only a change into a lock-out counts: restriction
   * switched on, or the allow list replaced.
   */
  private List<String> lockouts(
      UserAccount owner,
      TokenSettings before,
      TokenSettings after,
      @Nullable InetAddress actorAddress) {
    List<String> lockouts = new ArrayList<>(2);
    if (after.restricted() && !before.restricted()) {
      Set<String> permitted =
          PermissionGrant.holdersAt(store.permissionGrants(owner.corp()), now());
      if (!permitted.contains(owner.emailKey())
          && !anyOwnerPermitted(owner.corp(), permitted, null)) {
        lockouts.add(NO_OWNER_PERMITTED);
      }
    }
    if (actorAddress != null
        && !after.allowedIps().equals(before.allowedIps())
        && !after.allowedIps().allows(actorAddress)) {
      lockouts.add(refusesActorAddress(actorAddress));
    }
    return lockouts;
  }

  /**
   * Whether some owner of {@code corp} other than {@code except} (a lookup key, or {@code null})
   * holds the token permission: each permitted user is looked up in the directory, and stops at the
   * first owner.
   */
  private boolean anyOwnerPermitted(String corp, Set<String> permitted, @Nullable String except) {
    for (String key : permitted) {
      if (key.equals(except)) {
        continue;
      }
      Optional<UserAccount> user = actors.find(key);
      if (user.isPresent() && user.get().isOwner() && user.get().corp().equals(corp)) {
        return true;
      }
    }
    return false;
  }

  /** An allow-list warning as one sentence: {@code Allow list line 3 (10.0.0.1): reason}. */
  private static String describe(AllowListProblem warning) {
    return warning.line() == 0
        ? "Allow list: " + warning.reason()
        : "Allow list line " + warning.line() + " (" + warning.text() + "): " + warning.reason();
  }

  /**
   * The token's own list, or {@code null} when it has none or its stored text does not parse (the
   * verifier then refuses every client, whatever the corp's list).
   */
  private static @Nullable IpAllowList ownList(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return IpAllowList.parse(text);
    } catch (dev.authcore.net.AllowListException e) {
      return null;
    }
  }

  private UserAccount owner(String actorEmail, String what) {
    UserAccount actor = actors.actor(actorEmail);
    if (!actor.isOwner()) {
      throw new PermissionDeniedException(
          actor.email() + " may not " + what + ": only owners of corp " + actor.corp() + " may");
    }
    return actor;
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  private View view(String corp) {
    Instant now = now();
    return new View(
        store.settings(corp), PermissionGrant.holdersAt(store.permissionGrants(corp), now), now);
  }

  /**
   * Whether some recent address of {@code token} passes {@code current} and the token's own list
   * {@code own} (if any), and is refused by {@code proposed} with that list: the token's list
   * counts on both sides, since a request must pass both.
   */
  private static boolean refusesRecent(
      TokenRecord token, @Nullable IpAllowList own, IpAllowList current, IpAllowList proposed) {
    if (proposed.isEmpty()) {
      return false;
    }
    for (String ip : token.recentIps()) {
      InetAddress address;
      try {
        address = ClientAddresses.parse(ip);
      } catch (IllegalArgumentException e) {
        continue; // stored by an older version in another form; it cannot be judged
      }
      if ((own == null || own.allows(address))
          && current.allows(address)
          && !proposed.allows(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code row} is not yet expired at {@code now} and expires at or before {@code now +
   * days}.
   */
  private static boolean expiresWithin(TokenRow row, Instant now, int days) {
    @Nullable Instant expires = row.expires();
    // not expired: now < expires (equal means expired); within: expires <= now + days
    return expires != null
        && now.isBefore(expires)
        && !expires.isAfter(now.plus(java.time.Duration.ofDays(days)));
  }

  private static String encodeCursor(ListPosition position) {
    return CURSOR_PREFIX + position.created().toEpochMilli() + "." + position.id();
  }

  private static @Nullable ListPosition decodeCursor(@Nullable String cursor) {
    if (cursor == null) {
      return null;
    }
    String malformed = "malformed cursor '" + LogSafe.escape(cursor) + "': pass back a nextCursor";
    if (!cursor.startsWith(CURSOR_PREFIX)) {
      throw new InvalidInputException("cursor", malformed);
    }
    int dot = cursor.indexOf('.', CURSOR_PREFIX.length());
    if (dot < 0) {
      throw new InvalidInputException("cursor", malformed);
    }
    try {
      long millis = Long.parseLong(cursor.substring(CURSOR_PREFIX.length(), dot));
      TokenId id = TokenId.parse(cursor.substring(dot + 1));
      return new ListPosition(Instant.ofEpochMilli(millis), id);
    } catch (InvalidInputException | NumberFormatException | java.time.DateTimeException e) {
      throw new InvalidInputException("cursor", malformed);
    }
  }

  /** A corp's settings and permissions read once, to evaluate many tokens consistently. */
  private static final class View {
    final TokenSettings settings;
    final Set<String> permitted;
    final Instant now;

    /** The staged list's tallies for the owners' table while one is staged, else {@code null}. */
    final @Nullable Map<TokenId, BlockedTally> blocked;

    View(TokenSettings settings, Set<String> permitted, Instant now) {
      this(settings, permitted, now, null);
    }

    private View(
        TokenSettings settings,
        Set<String> permitted,
        Instant now,
        @Nullable Map<TokenId, BlockedTally> blocked) {
      this.settings = settings;
      this.permitted = permitted;
      this.now = now;
      this.blocked = blocked;
    }

    /** This view with the tallies of the staged list, if one is staged, for the owners' table. */
    View withBlocked(TokenStore store, String corp) {
      @Nullable StagedAllowList staged = settings.staged();
      if (staged == null) {
        return this;
      }
      return new View(settings, permitted, now, store.blocked(corp, staged.since()));
    }

    TokenRow row(TokenRecord token, TokenSettings under) {
      @Nullable ExpiryCause expiredBy =
          under.expiredBy(token.created(), token.expiresAt(), token.lastUsed(), now);
      return new TokenRow(
          token.id(),
          token.name(),
          token.ownerEmail(),
          token.created(),
          under.expiresAt(token.created(), token.expiresAt(), token.lastUsed()),
          under.statusOf(
              token.created(),
              token.expiresAt(),
              token.lastUsed(),
              permitted.contains(token.ownerKey()),
              now),
          token.lastUsed(),
          token.recentIps(),
          token.rotated(),
          graceEnd(token.previousValidUntil()),
          expiredBy,
          token.allowedIps() == null ? "" : token.allowedIps(),
          wouldBeBlocked(token.id()));
    }

    private @Nullable WouldBeBlocked wouldBeBlocked(TokenId id) {
      if (blocked == null) {
        return null;
      }
      @Nullable BlockedTally tally = blocked.get(id);
      return tally == null ? WouldBeBlocked.none() : new WouldBeBlocked(tally.count(), tally.ips());
    }

    /** A grace period's end while it runs ({@code now} before it), else {@code null}. */
    private @Nullable Instant graceEnd(@Nullable Instant previousValidUntil) {
      return previousValidUntil != null && now.isBefore(previousValidUntil)
          ? previousValidUntil
          : null;
    }
  }
}
