package dev.authcore.internal.wiring;

import dev.authcore.model.TokenId;

/** The deployment's cache of corp settings and permissions, as a console changing them sees it. */
public interface CorpStates {
  /**
   * Drops the corp's cached settings and permissions, waiting for a load of them in flight, so the
   * next verification reads what the store holds now.
   */
  void forgetCorp(String corp);

  /**
   * Drops the token's cached record, so the next verification with it reads what the store holds
   * now.
   */
  void forgetToken(TokenId id);
}
