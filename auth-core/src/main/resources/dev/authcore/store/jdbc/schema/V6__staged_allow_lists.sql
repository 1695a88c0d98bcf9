-- auth-core PostgreSQL store, schema version 6: corp allow lists staged in report-only mode.
-- PostgreSQL 14 or later.
--
-- Adds two nullable columns to the settings and one table, and touches nothing else: every corp
-- keeps its settings, with no list staged.

-- TokenSettings.staged: the staged list (canonical text) and when it was staged (epoch ms).
ALTER TABLE authcore_settings
  ADD COLUMN staged_allowed_ips text,
  ADD COLUMN staged_since bigint,
  ADD CONSTRAINT authcore_settings_staged_ck
    CHECK ((staged_allowed_ips IS NULL) = (staged_since IS NULL) AND staged_allowed_ips <> '');

-- Requests each token made that the staging at `since` would have refused (BlockedTally): the
-- count and the most recent distinct addresses, newest first. Gone with its token.
CREATE TABLE authcore_blocked (
  token_id bigint PRIMARY KEY REFERENCES authcore_tokens (id) ON DELETE CASCADE,
  corp text NOT NULL,
  since bigint NOT NULL,
  count bigint NOT NULL CHECK (count >= 1),
  ips text[] NOT NULL CHECK (cardinality(ips) <= 10)
);

-- The owners' table reads a corp's tallies for one staging.
CREATE INDEX authcore_blocked_corp_idx ON authcore_blocked (corp, since);
