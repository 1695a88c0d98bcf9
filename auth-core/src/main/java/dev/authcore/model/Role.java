package dev.authcore.model;

/** A user's role in their corp. Owners govern the corp's tokens; everyone else is a user. */
public enum Role {
  /** Governs the corp: sets token settings, grants permissions, sees and deletes every token. */
  OWNER,
  /** Manages their own tokens only. */
  USER
}
