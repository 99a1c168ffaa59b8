package dev.floe.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates for a TLS test broker, made with the JDK's {@code keytool} as an
 * operator would: the broker's key (valid for 127.0.0.1, so that clients verify the host name) and
 * a client's key, each trusted by the other side's truststore. In {@code dir}: {@code broker.p12},
 * {@code broker-trusts.p12} (the client's certificate), {@code client.p12}, {@code
 * client-trusts.p12} (the broker's certificate) and {@code untrusted.p12}, a truststore that does
 * not hold the broker's certificate.
 */
final class Certificates {
  private Certificates() {}

  static void make(Path dir, String password, String clientDn) throws Exception {
    keyPair(dir, "broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", password);
    keyPair(dir, "client", clientDn, null, password);
    keyPair(dir, "stranger", "CN=stranger", null, password);
    trust(dir, "broker-trusts.p12", "client", password);
    trust(dir, "client-trusts.p12", "broker", password);
    trust(dir, "untrusted.p12", "stranger", password);
  }

  private static void keyPair(Path dir, String alias, String dn, String extension, String password)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dn,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                dir.resolve(alias + ".p12").toString(),
                "-storepass",
                password));
    if (extension != null) {
      args.addAll(List.of("-ext", extension));
    }
    keytool(args);
    keytool(
        List.of(
            "-exportcert",
            "-alias",
            alias,
            "-keystore",
            dir.resolve(alias + ".p12").toString(),
            "-storepass",
            password,
            "-file",
            dir.resolve(alias + ".crt").toString()));
  }

  private static void trust(Path dir, String truststore, String alias, String password)
      throws Exception {
    keytool(
        List.of(
            "-importcert",
            "-noprompt",
            "-alias",
            alias,
            "-file",
            dir.resolve(alias + ".crt").toString(),
            "-storetype",
            "PKCS12",
            "-keystore",
            dir.resolve(truststore).toString(),
            "-storepass",
            password));
  }

  private static void keytool(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(args);
    Path log = Files.createTempFile("keytool", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "keytool " + args.get(0) + " failed: " + Files.readString(log));
    }
    Files.delete(log);
  }
}
