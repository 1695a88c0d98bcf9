package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.SecretRedactor;
import dev.authcore.model.TokenId;
import dev.authcore.testkit.Seeds;
import dev.authcore.testkit.TokenTexts;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void tokens_wholeTokensOfAnyPrefix_redactedAsTokens_restKept() {
    String token = TokenTexts.wellFormed(Seeds.random(1), "gw");
    assertThat(Redaction.tokens("line 1: '" + token + "' is not an address"))
        .isEqualTo("line 1: '" + SecretRedactor.REDACTED_TOKEN + "' is not an address");
    assertThat(
            Redaction.tokens(
                "{\"claimedUser\":\"" + TokenTexts.wellFormed(Seeds.random(2), "acme") + "\"}"))
        .isEqualTo("{\"claimedUser\":\"" + SecretRedactor.REDACTED_TOKEN + "\"}");
  }

  @Test
  void tokens_idsNamesAddressesAndWords_kept() {
    String text =
        "token 0Zx9AbCdEfG named DeployKeyProduction (kubernetesautoscaler) from 2001:db8::1"
            + " and 10.0.0.0/8";
    assertThat(Redaction.tokens(text)).isEqualTo(text);
  }

  @Test
  void tokens_withoutPrefixSecretAloneOrSplit_redacted() {
    String token = TokenTexts.wellFormed(Seeds.random(3), "gw");
    String unprefixed = token.substring("gw_".length());
    String secret = unprefixed.substring(TokenId.LENGTH, TokenId.LENGTH + TokenTexts.SECRET_LENGTH);
    assertThat(Redaction.tokens("no user '" + unprefixed + "' in corp acme"))
        .isEqualTo("no user '" + SecretRedactor.REDACTED_SECRET + "' in corp acme");
    assertThat(Redaction.tokens("malformed cursor 'c1.1." + secret + "'"))
        .isEqualTo("malformed cursor 'c1.1." + SecretRedactor.REDACTED_SECRET + "'");
    String split =
        secret.substring(0, 11) + "-" + secret.substring(11, 22) + "-" + secret.substring(22);
    assertThat(Redaction.tokens("name '" + split + "'"))
        .isEqualTo("name '" + SecretRedactor.REDACTED_SECRET + "'");
  }

  @Test
  void printable_redactsOnTheArgumentAsGiven_thenEscapesAndMasks() {
    String token = TokenTexts.wellFormed(Seeds.random(4), "gw");
    assertThat(GatewayOptions.printable("--" + token + "\u0007"))
        .isEqualTo("--" + SecretRedactor.REDACTED_TOKEN + "\\u0007");
    assertThat(GatewayOptions.printable("jdbc:postgresql://h/db?user=gw&password=" + token))
        .isEqualTo("jdbc:postgresql://h/db?user=gw&password=" + GatewayOptions.MASKED);
    assertThat(GatewayOptions.printable("x".repeat(100) + token)).hasSize(81).endsWith("…");
  }
}
