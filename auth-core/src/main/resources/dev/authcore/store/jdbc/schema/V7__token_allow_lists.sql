-- auth-core PostgreSQL store, schema version 7: a token's own IP allow list. PostgreSQL 14 or
-- later.
--
-- Adds one nullable column and touches nothing else: every token keeps working as before, with no
-- list of its own until a user sets one.

-- TokenRecord.allowedIps: the list's canonical text (one entry per line); NULL means none.
ALTER TABLE authcore_tokens
  ADD COLUMN allowed_ips text CHECK (allowed_ips <> '');
