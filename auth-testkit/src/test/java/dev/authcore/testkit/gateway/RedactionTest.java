package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.testkit.Seeds;
import dev.authcore.testkit.TokenTexts;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void tokens_tokenShapedRunsRedacted_restKept() {
    String token = TokenTexts.wellFormed(Seeds.random(1), "gw");
    assertThat(Redaction.tokens("line 1: '" + token + "' is not an address"))
        .isEqualTo("line 1: '" + Redaction.REDACTED + "' is not an address");
    assertThat(
            Redaction.tokens(
                "{\"claimedUser\":\"" + TokenTexts.wellFormed(Seeds.random(2), "acme") + "\"}"))
        .doesNotContain("acme_");
  }

  @Test
  void tokens_idsNamesAndAddressesKept() {
    String text = "token 0Zx9AbCdEfG named deploy_key_2 from 2001:db8::1 and 10.0.0.0/8";
    assertThat(Redaction.tokens(text)).isEqualTo(text);
  }

  @Test
  void tokens_withoutPrefixOrSecretAlone_redacted() {
    String token = TokenTexts.wellFormed(Seeds.random(3), "gw");
    String unprefixed = token.substring("gw_".length());
    String secret = unprefixed.substring(11, 11 + TokenTexts.SECRET_LENGTH);
    assertThat(Redaction.tokens("no user '" + unprefixed + "' in corp acme"))
        .isEqualTo("no user '" + Redaction.REDACTED + "' in corp acme");
    assertThat(Redaction.tokens("malformed cursor 'c1.1." + secret + "'"))
        .isEqualTo("malformed cursor 'c1.1." + Redaction.REDACTED + "'");
    assertThat(Redaction.tokens("a" + secret.substring(0, 15) + "-" + secret.substring(15)))
        .doesNotContain(secret.substring(15, 31));
  }
}
