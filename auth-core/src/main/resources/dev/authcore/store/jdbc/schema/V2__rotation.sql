-- auth-core PostgreSQL store, schema version 2: secret rotation with a grace period.
-- Apply after V1 (PostgresSchema.migrate does both in order). Adds nullable columns only, so it
-- rewrites no rows and every token stored under V1 stays as it was: never rotated, no previous
-- secret.

-- When the secret was last replaced; NULL if never. Id, name, owner and created are kept.
ALTER TABLE authcore_tokens ADD COLUMN rotated numeric(30, 9);

-- The hash of the secret before the last rotation and the end of its grace period: the previous
-- secret verifies while the clock is before previous_valid_until. Both NULL when the last rotation
-- gave no grace. Kept after the grace ends, until the next rotation replaces them.
ALTER TABLE authcore_tokens ADD COLUMN previous_hash text;

ALTER TABLE authcore_tokens ADD COLUMN previous_valid_until numeric(30, 9);

ALTER TABLE authcore_tokens ADD CONSTRAINT authcore_tokens_previous_ck
  CHECK ((previous_hash IS NULL) = (previous_valid_until IS NULL)
    AND (previous_hash IS NULL OR rotated IS NOT NULL));

-- The change feed gains 'token_changed' (a rotation): other nodes drop their cached record, as for
-- a deletion. The V1 checks carry PostgreSQL's generated names; they are replaced by named ones.
ALTER TABLE authcore_changes DROP CONSTRAINT authcore_changes_kind_check;

ALTER TABLE authcore_changes DROP CONSTRAINT authcore_changes_check;

ALTER TABLE authcore_changes ADD CONSTRAINT authcore_changes_kind_ck
  CHECK (kind IN ('token_deleted', 'token_changed', 'corp_changed'));

ALTER TABLE authcore_changes ADD CONSTRAINT authcore_changes_token_ck
  CHECK ((kind IN ('token_deleted', 'token_changed')) = (token_id IS NOT NULL));
