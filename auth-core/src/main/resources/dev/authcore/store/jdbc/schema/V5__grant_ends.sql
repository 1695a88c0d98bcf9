-- auth-core PostgreSQL store, schema version 5: permission grants that end by themselves.
-- PostgreSQL 14 or later.
--
-- Adds two columns to the permission table and touches nothing else: every stored grant keeps
-- holding the permission, with no end, until an owner changes it.

-- PermissionGrant.until: the grant ends at this instant (epoch seconds with nanoseconds,
-- exclusive); NULL means it does not end by itself.
ALTER TABLE authcore_permissions
  ADD COLUMN until numeric(30, 9);

-- Whether the end of this grant was claimed by a sweep that publishes it (TokenStore
-- claimEndedGrants); a new grant of the user clears it.
ALTER TABLE authcore_permissions
  ADD COLUMN end_claimed boolean NOT NULL DEFAULT false;

-- The sweep's search for ended, unclaimed grants reads only grants with an end.
CREATE INDEX authcore_permissions_unclaimed_ends ON authcore_permissions (until)
  WHERE until IS NOT NULL AND NOT end_claimed;
