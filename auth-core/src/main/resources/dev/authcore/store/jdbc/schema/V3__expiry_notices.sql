-- auth-core PostgreSQL store, schema version 3: the expiry notices sent. PostgreSQL 14 or later.
--
-- Adds one table and touches nothing else, so it applies to a database at any earlier version
-- with every token kept, whichever other versions are applied before or after it.

-- Which expiry notice of a token was sent (ExpiryNotice: 7 days before its effective expiry, 1 day
-- before, at expiry), so a restart or another node sweeping the same database never sends it
-- again. A node records a notice before sending it, in one conditional insert: the node whose
-- insert wins sends it. Rows go with their token when it is deleted.
CREATE TABLE authcore_expiry_notices (
  token_id bigint NOT NULL REFERENCES authcore_tokens (id) ON DELETE CASCADE,
  -- ExpiryNotice.before() in days: 7, 1, or 0 for the expiry itself. Lower is later.
  days_before smallint NOT NULL CHECK (days_before IN (7, 1, 0)),
  -- When it was recorded, by the database's clock; for operators only.
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (token_id, days_before)
);
