package dev.authcore.console;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * What a proposed change of a corp's token settings would do, computed at the moment of the
 * preview; nothing is changed by asking.
 *
 * @param wouldExpire tokens that are not expired now and would be under the proposal
 * @param wouldBeDisabled tokens that are not disabled now and would be (their owner lacks the
 *     permission in a restricted corp), and are not expired under the proposal
 * @param wouldBeBlocked tokens usable now from at least one of their recent addresses that the
 *     proposed allow list would refuse
 * @param wouldComeBack tokens that are expired or disabled now and would be active
 * @param warnings plain sentences for the owner: lock-outs of themself, a corp where nobody would
 *     keep access, redundant allow-list lines
 */
public record SettingsPreview(
    List<TokenRow> wouldExpire,
    List<TokenRow> wouldBeDisabled,
    List<TokenRow> wouldBeBlocked,
    List<TokenRow> wouldComeBack,
    List<String> warnings) {
  public SettingsPreview {
    wouldExpire = List.copyOf(wouldExpire);
    wouldBeDisabled = List.copyOf(wouldBeDisabled);
    wouldBeBlocked = List.copyOf(wouldBeBlocked);
    wouldComeBack = List.copyOf(wouldComeBack);
    warnings = List.copyOf(warnings);
  }

  /**
   * Whether the change would affect no token and raises no warning. Derived from the components, so
   * not in the JSON form (which, as for every record here, is exactly the components).
   */
  @JsonIgnore
  public boolean isHarmless() {
    return wouldExpire.isEmpty()
        && wouldBeDisabled.isEmpty()
        && wouldBeBlocked.isEmpty()
        && wouldComeBack.isEmpty()
        && warnings.isEmpty();
  }
}
