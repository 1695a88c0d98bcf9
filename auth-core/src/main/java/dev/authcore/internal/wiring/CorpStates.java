package dev.authcore.internal.wiring;

/** The deployment's cache of corp settings and permissions, as a console changing them sees it. */
public interface CorpStates {
  /**
   * Drops the corp's cached settings and permissions, waiting for a load of them in flight, so the
   * next verification reads what the store holds now.
   */
  void forgetCorp(String corp);
}
