package dev.floe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "password",
        "jdbc.password",
        "ssl.key.password",
        "ssl.keystore.password",
        "ssl.truststore.password",
        "sasl.jaas.config",
        "s3.secret-access-key",
        "s3.session-token",
        "token",
        "credential",
        "client-secret",
        "ssl.keystore.key",
        "basic-auth.PASSWORD",
        "basic.auth.user.info",
        "private-key"
      })
  void secretKeys(String key) {
    assertThat(Secrets.isSecret(key)).as(key).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "type",
        "uri",
        "warehouse",
        "jdbc.user",
        "s3.endpoint",
        "s3.access-key-id",
        "oauth2-server-uri",
        "security.protocol",
        "sasl.mechanism",
        "ssl.truststore.location",
        "client.region"
      })
  void plainKeys(String key) {
    assertThat(Secrets.isSecret(key)).as(key).isFalse();
  }

  @Test
  void maskedKeepsOrderAndHidesOnlySecrets() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("type", "rest");
    props.put("credential", "floe:s3cr3t-value");
    props.put("uri", "http://catalog:8181");
    assertThat(Secrets.masked(props).toString())
        .isEqualTo("{type=rest, credential=****, uri=http://catalog:8181}");
  }

  @Test
  void rememberedValuesAreHiddenInText() {
    Secrets.remember(
        Map.of(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                + " password=\"jaas-pw-123\";",
            "credential",
            "client-a:oauth-secret-456",
            "jdbc.user",
            "floe-user"));
    assertThat(
            Secrets.hide(
                "login failed: password jaas-pw-123 rejected for client-a:oauth-secret-456,"
                    + " secret oauth-secret-456, user floe-user"))
        .isEqualTo("login failed: password **** rejected for ****, secret ****, user floe-user");
  }
}
