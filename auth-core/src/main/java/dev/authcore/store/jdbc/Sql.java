package dev.authcore.store.jdbc;

import org.jspecify.annotations.Nullable;

/** The store's SQL, with table names qualified by the configured schema. Immutable. */
final class Sql {
  static final String TOKEN_COLUMNS =
      "id, corp, owner_email, name, created, expires_at, secret_hash, last_used, recent_ips,"
          + " rotated, previous_hash, previous_valid_until, allowed_ips";

  final String findToken;
  final String insertOwner;
  final String lockOwner;
  final String countOwnerTokens;
  final String insertToken;
  final String deleteToken;
  final String lockSecret;
  final String rotateSecret;
  final String setAllowedIps;
  final String listByOwner;
  final String selectSettings;
  final String insertSettings;
  final String replaceSettings;
  final String selectPermitted;
  final String selectGrants;
  final String insertGrant;
  final String lockGrant;
  final String updateGrant;
  final String revoke;
  final String claimEndedGrants;
  final String lockUsage;
  final String updateUsage;
  final String recordChange;
  final String changeClock;
  final String changesSince;
  final String recentChanges;
  final String pruneChanges;
  final String firstCorps;
  final String corpsAfter;
  final String lockTokenForNotice;
  final String recordNotice;
  final String lockBlocked;
  final String upsertBlocked;
  final String selectBlocked;

  private final String tokens;

  Sql(@Nullable String schema) {
    String prefix = schema == null ? "" : PostgresSchema.quote(schema) + ".";
    tokens = prefix + "authcore_tokens";
    String owners = prefix + "authcore_owners";
    String settings = prefix + "authcore_settings";
    String permissions = prefix + "authcore_permissions";
    String clock = prefix + "authcore_change_clock";
    String changes = prefix + "authcore_changes";

    findToken = "SELECT " + TOKEN_COLUMNS + " FROM " + tokens + " WHERE id = ?";
    insertOwner =
        "INSERT INTO " + owners + " (corp, owner_key) VALUES (?, ?) ON CONFLICT DO NOTHING";
    lockOwner = "SELECT 1 FROM " + owners + " WHERE corp = ? AND owner_key = ? FOR UPDATE";
    countOwnerTokens =
        "SELECT count(*), count(*) FILTER (WHERE name_key = ?) FROM "
            + tokens
            + " WHERE corp = ? AND owner_key = ?";
    insertToken =
        "INSERT INTO "
            + tokens
            + " (id, corp, owner_key, owner_email, name, name_key, created, expires_at,"
            + " secret_hash, last_used, recent_ips, rotated, previous_hash, previous_valid_until,"
            + " allowed_ips)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
    deleteToken = "DELETE FROM " + tokens + " WHERE id = ? RETURNING " + TOKEN_COLUMNS;
    lockSecret = "SELECT secret_hash FROM " + tokens + " WHERE id = ? FOR UPDATE";
    rotateSecret =
        "UPDATE "
            + tokens
            + " SET secret_hash = ?, rotated = ?, previous_hash = ?, previous_valid_until = ?"
            + " WHERE id = ? RETURNING "
            + TOKEN_COLUMNS;
    setAllowedIps =
        "UPDATE " + tokens + " SET allowed_ips = ? WHERE id = ? RETURNING " + TOKEN_COLUMNS;
    listByOwner =
        "SELECT "
            + TOKEN_COLUMNS
            + " FROM "
            + tokens
            + " WHERE corp = ? AND owner_key = ? ORDER BY created, sort_id";
    selectSettings =
        "SELECT expiry_millis, restricted, allowed_ips, inactive_days, staged_allowed_ips,"
            + " staged_since FROM "
            + settings
            + " WHERE corp = ?";
    insertSettings =
        "INSERT INTO "
            + settings
            + " (corp, expiry_millis, restricted, allowed_ips, inactive_days, staged_allowed_ips,"
            + " staged_since) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";
    replaceSettings =
        "UPDATE "
            + settings
            + " SET expiry_millis = ?, restricted = ?, allowed_ips = ?, inactive_days = ?,"
            + " staged_allowed_ips = ?, staged_since = ?"
            + " WHERE corp = ? AND expiry_millis IS NOT DISTINCT FROM ? AND restricted = ?"
            + " AND allowed_ips = ? AND inactive_days IS NOT DISTINCT FROM ?"
            + " AND staged_allowed_ips IS NOT DISTINCT FROM ? AND staged_since IS NOT DISTINCT FROM ?";
    selectPermitted = "SELECT email_key FROM " + permissions + " WHERE corp = ?";
    selectGrants =
        "SELECT email_key, until FROM " + permissions + " WHERE corp = ? ORDER BY email_key";
    insertGrant =
        "INSERT INTO "
            + permissions
            + " (corp, email_key, until, end_claimed) VALUES (?, ?, ?, false)"
            + " ON CONFLICT DO NOTHING";
    lockGrant =
        "SELECT until, end_claimed FROM "
            + permissions
            + " WHERE corp = ? AND email_key = ? FOR UPDATE";
    updateGrant =
        "UPDATE "
            + permissions
            + " SET until = ?, end_claimed = false WHERE corp = ? AND email_key = ?";
    revoke = "DELETE FROM " + permissions + " WHERE corp = ? AND email_key = ?";
    // One statement: a row another node claims meanwhile is re-checked after its lock is
    // released (READ COMMITTED), finds end_claimed set and is skipped, so each end is claimed once.
    claimEndedGrants =
        "UPDATE "
            + permissions
            + " SET end_claimed = true WHERE (corp, email_key) IN (SELECT corp, email_key FROM "
            + permissions
            + " WHERE until IS NOT NULL AND until <= ? AND NOT end_claimed"
            + " ORDER BY until, corp, email_key LIMIT ?)"
            + " AND until IS NOT NULL AND until <= ? AND NOT end_claimed"
            + " RETURNING corp, email_key, until";
    // ORDER BY before the lock: every batch locks rows in one global order, so two nodes
    // flushing overlapping batches cannot deadlock.
    lockUsage =
        "SELECT id, last_used, recent_ips FROM "
            + tokens
            + " WHERE id = ANY (?) ORDER BY id FOR UPDATE";
    updateUsage = "UPDATE " + tokens + " SET last_used = ?, recent_ips = ? WHERE id = ?";
    // The clock row's lock serialises writers until commit, so sequence numbers are given out
    // in commit order; pg_notify is delivered at commit, or never if the transaction rolls back.
    recordChange =
        "WITH tick AS (UPDATE "
            + clock
            + " SET seq = seq + 1 WHERE id = 1 RETURNING seq),"
            + " change AS (INSERT INTO "
            + changes
            + " (seq, kind, token_id, corp, origin) SELECT seq, ?, ?, ?, ? FROM tick"
            + " RETURNING seq)"
            + " SELECT seq, pg_notify(?, seq::text) FROM change";
    changeClock = "SELECT seq FROM " + clock + " WHERE id = 1";
    changesSince =
        "SELECT seq, kind, token_id, corp, origin FROM "
            + changes
            + " WHERE seq > ? ORDER BY seq LIMIT ?";
    recentChanges =
        "SELECT seq, kind, token_id, corp, origin FROM "
            + changes
            + " WHERE seq <= ? AND at >= now() - make_interval(secs => ?) ORDER BY seq";
    pruneChanges = "DELETE FROM " + changes + " WHERE at < now() - make_interval(secs => ?)";
    // Read from the listing index (corp first): a page costs the tokens of its corps.
    firstCorps = "SELECT DISTINCT corp FROM " + tokens + " ORDER BY corp LIMIT ?";
    corpsAfter = "SELECT DISTINCT corp FROM " + tokens + " WHERE corp > ? ORDER BY corp LIMIT ?";
    // Serialises the notices of one token across nodes, and keeps a delete out until commit.
    lockTokenForNotice = "SELECT 1 FROM " + tokens + " WHERE id = ? FOR NO KEY UPDATE";
    String notices = prefix + "authcore_expiry_notices";
    recordNotice =
        "INSERT INTO "
            + notices
            + " (token_id, days_before) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
            + notices
            + " WHERE token_id = ? AND days_before <= ?) ON CONFLICT DO NOTHING";
    String blocked = prefix + "authcore_blocked";
    // Tokens locked in id order, as for usage: batches from several nodes cannot deadlock, and a
    // delete waits (its cascade removes the tally) or has happened (the token is not found).
    lockBlocked =
        "SELECT t.id, t.corp, b.since, b.count, b.ips FROM "
            + tokens
            + " t LEFT JOIN "
            + blocked
            + " b ON b.token_id = t.id WHERE t.id = ANY (?) ORDER BY t.id FOR UPDATE OF t";
    upsertBlocked =
        "INSERT INTO "
            + blocked
            + " (token_id, corp, since, count, ips) VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id)"
            + " DO UPDATE SET since = excluded.since, count = excluded.count, ips = excluded.ips";
    selectBlocked = "SELECT token_id, count, ips FROM " + blocked + " WHERE corp = ? AND since = ?";
  }

  /** One page of a corp listing, with the optional owner filter and resume position. */
  String listCorp(boolean byOwner, boolean after) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(TOKEN_COLUMNS)
            .append(" FROM ")
            .append(tokens)
            .append(" WHERE corp = ?");
    if (byOwner) {
      sql.append(" AND owner_key = ?");
    }
    if (after) {
      sql.append(" AND (created, sort_id) < (?, ?)");
    }
    return sql.append(" ORDER BY created DESC, sort_id DESC LIMIT ?").toString();
  }
}
