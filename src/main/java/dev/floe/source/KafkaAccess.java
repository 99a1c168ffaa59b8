package dev.floe.source;

import dev.floe.errors.Causes;
import dev.floe.errors.RunFailure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains why a secured broker turned Floe away: a login refused, a TLS handshake failed, an ACL
 * missing. Each message names the broker, the user or certificate, and the consumer property or ACL
 * to fix; none holds a secret. Floe assigns partitions itself and keeps its offsets in the table,
 * so the only ACLs it needs are READ and DESCRIBE on the topic.
 */
public final class KafkaAccess {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);
  private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private KafkaAccess() {}

  /**
   * The failure behind {@code e} as a message for the user, when it is the broker refusing access;
   * else null.
   */
  public static RunFailure explain(
      Throwable e, String bootstrap, String topic, Map<String, String> consumerProperties) {
    Map<String, String> props = consumerProperties == null ? Map.of() : consumerProperties;
    String nothing = "; nothing was read or committed";
    SslAuthenticationException tls = Causes.find(e, SslAuthenticationException.class);
    if (tls != null) {
      return new RunFailure(tlsFailure(tls, bootstrap, props) + nothing, e);
    }
    AuthenticationException login = Causes.find(e, AuthenticationException.class);
    if (login != null) {
      String mechanism = props.getOrDefault("sasl.mechanism", "GSSAPI");
      return new RunFailure(
          "authentication failed for user "
              + Objects.requireNonNullElse(jaasUser(props), "(the one in kafka.sasl.jaas.config)")
              + " at "
              + bootstrap
              + " ("
              + mechanism
              + " over "
              + props.getOrDefault("security.protocol", "PLAINTEXT")
              + "): check the user name and password in kafka.sasl.jaas.config, and that the"
              + " broker has "
              + mechanism
              + " credentials for that user"
              + (login instanceof SaslAuthenticationException
                  ? ""
                  : " (" + login.getMessage() + ")")
              + nothing,
          e);
    }
    AuthorizationException denied = Causes.find(e, AuthorizationException.class);
    if (denied != null) {
      String principal = principal(props);
      String what =
          denied instanceof TopicAuthorizationException t
                  && !t.unauthorizedTopics().isEmpty()
                  && !t.unauthorizedTopics().equals(Collections.singleton(topic))
              ? "topics " + t.unauthorizedTopics()
              : "topic '" + topic + "'";
      return new RunFailure(
          "principal "
              + principal
              + " may not read "
              + what
              + " on Kafka at "
              + bootstrap
              + " ("
              + denied.getClass().getSimpleName()
              + "). Grant it READ and DESCRIBE on the topic, e.g. kafka-acls.sh --bootstrap-server "
              + bootstrap
              + " --add --allow-principal "
              + principal
              + " --operation READ --operation DESCRIBE --topic "
              + topic
              + " (Floe needs no consumer-group or cluster ACL)"
              + nothing,
          e);
    }
    return null;
  }

  private static String tlsFailure(
      SslAuthenticationException e, String bootstrap, Map<String, String> props) {
    CertificateException certificate = Causes.find(e, CertificateException.class);
    String truststore = props.get("ssl.truststore.location");
    String where = "the TLS handshake with Kafka at " + bootstrap + " failed: ";
    if (Causes.find(e, CertPathBuilderException.class) != null) {
      return where
          + "the broker's certificate is not trusted by "
          + (truststore == null
              ? "the JVM's default truststore. Set kafka.ssl.truststore.location to a truststore"
                  + " that holds the broker's CA certificate"
              : "the truststore "
                  + truststore
                  + " (kafka.ssl.truststore.location). Add the broker's CA certificate to it, or"
                  + " point kafka.ssl.truststore.location at one that has it");
    }
    if (certificate != null
        && String.valueOf(certificate.getMessage()).matches("No (subject alternative|name).*")) {
      return where
          + "the broker's certificate does not name the host in kafka.bootstrapServers; connect"
          + " by a name the certificate holds, or have the broker's certificate reissued";
    }
    return where
        + Causes.innermostMessage(e)
        + ". If the broker requires client certificates, set kafka.ssl.keystore.location (and its"
        + " password) to a keystore whose certificate the broker trusts";
  }

  /** The user a SASL login names, as far as the JAAS line says; null when it names none. */
  private static String jaasUser(Map<String, String> props) {
    Matcher m = JAAS_USER.matcher(props.getOrDefault("sasl.jaas.config", ""));
    return m.find() ? m.group(1) : null;
  }

  /**
   * The principal the broker sees, by Kafka's default rules: the SASL user name, else the subject
   * of the client certificate, else ANONYMOUS.
   */
  static String principal(Map<String, String> props) {
    String protocol = props.getOrDefault("security.protocol", "PLAINTEXT");
    if (protocol.startsWith("SASL")) {
      String user = jaasUser(props);
      return user == null ? "(the user of your SASL login)" : "User:" + user;
    }
    String keystore = props.get("ssl.keystore.location");
    if (protocol.equals("SSL") && keystore != null) {
      String subject = certificateSubject(props, keystore);
      return subject == null ? "(the subject of the certificate in " + keystore + ")" : subject;
    }
    return "User:ANONYMOUS";
  }

  private static String certificateSubject(Map<String, String> props, String keystore) {
    try (InputStream in = Files.newInputStream(Path.of(keystore))) {
      KeyStore store = KeyStore.getInstance(props.getOrDefault("ssl.keystore.type", "JKS"));
      String password = props.get("ssl.keystore.password");
      store.load(in, password == null ? null : password.toCharArray());
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
          return "User:" + c.getSubjectX500Principal().getName();
        }
      }
    } catch (Exception e) {
      LOG.debug("cannot read the client certificate's subject from {}", keystore, e);
    }
    return null;
  }
}
