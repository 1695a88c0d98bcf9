-- auth-core PostgreSQL store, schema version 4: expiry of tokens nobody uses. PostgreSQL 14 or
-- later.
--
-- Adds one nullable column and touches nothing else: every corp keeps its settings, with no
-- inactivity expiry until an owner sets one.

-- TokenSettings.inactiveDays: expire tokens unused for this many days; NULL means never.
ALTER TABLE authcore_settings
  ADD COLUMN inactive_days integer CHECK (inactive_days BETWEEN 7 AND 365);
