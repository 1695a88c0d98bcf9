-- auth-core PostgreSQL store, schema version 1. PostgreSQL 14 or later.
--
-- Apply with PostgresSchema.migrate(dataSource), which records it in authcore_schema_version, or
-- with your migration tool (the file name follows Flyway's V<version>__<description>.sql). Every
-- statement ends with ';' at the end of a line; there is no dollar quoting.
--
-- Instants are epoch seconds with nanoseconds, numeric(30,9): every java.time.Instant round-trips
-- exactly, so an expiry decision is the same before and after storage. to_timestamp(created) shows
-- one as a timestamp. Emails and names are compared through key columns computed by the library
-- (ASCII lower case for emails, Locale.ROOT lower case for names), never through collations.

-- One row per token owner. Inserting a token locks its owner's row first, so the per-user limit
-- is counted and enforced in one serialised step, whichever node inserts.
CREATE TABLE authcore_owners (
  corp text NOT NULL,
  owner_key text NOT NULL,
  PRIMARY KEY (corp, owner_key)
);

-- Tokens: the hash of the secret only, never the secret.
CREATE TABLE authcore_tokens (
  -- TokenId.asLong(): the id's 64 bits as a signed bigint.
  id bigint PRIMARY KEY,
  -- The id with its sign bit flipped: orders as TokenId.compareTo does (unsigned).
  sort_id bigint GENERATED ALWAYS AS (id # (-9223372036854775807 - 1)) STORED,
  corp text NOT NULL,
  owner_key text NOT NULL,
  owner_email text NOT NULL,
  name text NOT NULL,
  name_key text NOT NULL,
  created numeric(30, 9) NOT NULL,
  expires_at numeric(30, 9),
  secret_hash text NOT NULL,
  last_used numeric(30, 9),
  -- Most recent distinct client addresses, newest first, at most 10.
  recent_ips text[] NOT NULL DEFAULT '{}',
  CONSTRAINT authcore_tokens_owner_fk FOREIGN KEY (corp, owner_key)
    REFERENCES authcore_owners (corp, owner_key),
  CONSTRAINT authcore_tokens_name_uq UNIQUE (corp, owner_key, name_key),
  CONSTRAINT authcore_tokens_recent_ips_ck CHECK (cardinality(recent_ips) <= 10)
);

-- Corp listing: newest first, then id descending (unsigned).
CREATE INDEX authcore_tokens_corp_listing ON authcore_tokens (corp, created DESC, sort_id DESC);

-- Corp settings; a corp without a row has the defaults.
CREATE TABLE authcore_settings (
  corp text PRIMARY KEY,
  -- ExpiryPolicy maximum age in milliseconds; NULL means never.
  expiry_millis bigint CHECK (expiry_millis > 0),
  restricted boolean NOT NULL,
  -- IpAllowList.toText(); empty means no restriction.
  allowed_ips text NOT NULL
);

-- Who holds the token permission, by email key (ASCII lower case).
CREATE TABLE authcore_permissions (
  corp text NOT NULL,
  email_key text NOT NULL,
  PRIMARY KEY (corp, email_key)
);

-- The change feed other nodes poll: deletions and corp changes, in commit order. A writer
-- increments the single clock row in the same transaction as its change, which both numbers the
-- change and serialises writers, so a change numbered n is visible no later than any change
-- numbered above n: a reader that has seen n has seen everything below it.
CREATE TABLE authcore_change_clock (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL
);

INSERT INTO authcore_change_clock (id, seq) VALUES (1, 0);

CREATE TABLE authcore_changes (
  seq bigint PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('token_deleted', 'corp_changed')),
  token_id bigint,
  corp text NOT NULL,
  -- The writing store instance, so it does not tell its own listeners twice.
  origin text NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((kind = 'token_deleted') = (token_id IS NOT NULL))
);

CREATE INDEX authcore_changes_at ON authcore_changes (at);
