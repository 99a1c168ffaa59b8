package dev.floe.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which configuration values are secrets, and hiding them wherever Floe shows text. A key is secret
 * when its name says so ({@link #isSecret}); the one list is here. The values the pipeline file
 * gave such keys (after {@code ${VAR}}) are remembered when it is loaded, so that a message quoting
 * one, say a driver's error, is printed with the value hidden.
 */
public final class Secrets {
  public static final String MASK = "****";

  /** Parts of a key's name that mark its value as secret (lower case). */
  private static final List<String> MARKERS =
      List.of(
          "password", "passwd", "secret", "token", "credential", "jaas", "private", "user.info");

  /** The password inside a JAAS configuration line, which Kafka's own logs hide whole. */
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

  /** Shorter values are not hidden inside text: they would mask unrelated words. */
  private static final int MIN_HIDDEN_LENGTH = 4;

  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

  private Secrets() {}

  /**
   * True for keys such as {@code password}, {@code jdbc.password}, {@code ssl.key.password}, {@code
   * s3.secret-access-key}, {@code token}, {@code credential}, {@code sasl.jaas.config}, {@code
   * ssl.keystore.key}, {@code client-secret}, {@code basic.auth.user.info}.
   */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.endsWith(".key") || k.endsWith("-key") || k.equals("key")) {
      return true;
    }
    for (String marker : MARKERS) {
      if (k.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  /** The properties with every secret value replaced by {@value #MASK}, in the same order. */
  public static Map<String, String> masked(Map<String, String> properties) {
    Map<String, String> out = new LinkedHashMap<>();
    properties.forEach((k, v) -> out.put(k, isSecret(k) && v != null ? MASK : v));
    return out;
  }

  /** Remembers the secret values of {@code properties}, to be hidden in any text shown later. */
  public static void remember(Map<String, String> properties) {
    properties.forEach(
        (k, v) -> {
          if (v == null || !isSecret(k)) {
            return;
          }
          add(v);
          Matcher m = JAAS_PASSWORD.matcher(v);
          while (m.find()) {
            add(m.group(1));
          }
          int colon = v.indexOf(':');
          if (k.toLowerCase(Locale.ROOT).contains("credential") && colon >= 0) {
            add(v.substring(colon + 1)); // client-id:secret, the id is not secret
          }
        });
  }

  private static void add(String value) {
    if (value.length() >= MIN_HIDDEN_LENGTH) {
      KNOWN.add(value);
    }
  }

  /** {@code text} with every remembered secret value replaced by {@value #MASK}. */
  public static String hide(String text) {
    if (text == null || KNOWN.isEmpty()) {
      return text;
    }
    String out = text;
    // longest first, so that a secret containing another is hidden whole
    for (String secret :
        KNOWN.stream().sorted((a, b) -> Integer.compare(b.length(), a.length())).toList()) {
      out = out.replace(secret, MASK);
    }
    return out;
  }
}
