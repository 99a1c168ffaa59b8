package dev.floe.table;

import dev.floe.errors.Causes;
import dev.floe.errors.RunFailure;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Iceberg catalogs from their standard properties ({@code type}, {@code uri}, {@code warehouse},
 * {@code io-impl}, ...). A Hadoop catalog's warehouse may be a relative local path.
 */
public final class Catalogs {
  private static final Logger LOG = LoggerFactory.getLogger(Catalogs.class);
  private static final String LOCAL_FS = "fs.file.impl";
  private static final String AUTH_TYPE = "rest.auth.type";
  private static final String SOCKET_TIMEOUT = "rest.client.socket-timeout-ms";

  private Catalogs() {}

  public static Catalog load(Map<String, String> properties) {
    Map<String, String> props = new HashMap<>(properties);
    String warehouse = props.get("warehouse");
    if (warehouse != null && URI.create(warehouse.replace(" ", "%20")).getScheme() == null) {
      props.put("warehouse", Path.of(warehouse).toAbsolutePath().normalize().toUri().toString());
    }
    if ((props.containsKey("credential") || props.containsKey("token"))
        && !props.containsKey(AUTH_TYPE)) {
      // what Iceberg infers anyway, said explicitly so that every open does not warn about it
      props.put(AUTH_TYPE, "oauth2");
    }
    LOG.debug(
        "loading catalog of type {} at {}",
        props.getOrDefault("type", "?"),
        props.getOrDefault("uri", props.getOrDefault("warehouse", "?")));
    try {
      return CatalogUtil.buildIcebergCatalog("floe", props, hadoopConfiguration());
    } catch (RuntimeException e) {
      throw failure(props, e);
    } catch (LinkageError e) {
      // a catalog or file IO whose jars are not all on the classpath fails on its first use of a
      // missing class; without this the JVM would end with a bare stack trace
      throw new RunFailure(
          "the catalog (type "
              + props.getOrDefault("type", props.getOrDefault("catalog-impl", "?"))
              + ", io-impl "
              + props.getOrDefault("io-impl", "the catalog's default")
              + ") needs a class that is not on the classpath: "
              + e.getMessage()
              + ". docs/catalogs.md lists the catalogs and file IOs the jar carries and how to"
              + " add the others; nothing was read or committed",
          e);
    }
  }

  /**
   * Hadoop's configuration from the classpath ({@code core-site.xml}, if any), with {@code file:}
   * served by {@link PosixLocalFileSystem} unless it names another file system for it, and the
   * process's umask for the files Hadoop creates unless it sets {@code fs.permissions.umask-mode}.
   */
  public static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    if (conf.get(LOCAL_FS) == null) {
      conf.set(LOCAL_FS, PosixLocalFileSystem.class.getName());
    }
    String[] umaskFrom = conf.getPropertySources(PosixLocalFileSystem.UMASK);
    if (umaskFrom == null
        || java.util.Arrays.stream(umaskFrom).allMatch(s -> s.equals("core-default.xml"))) {
      // files follow the process umask, as any program's do, unless a site file says otherwise
      conf.set(PosixLocalFileSystem.UMASK, PosixLocalFileSystem.processUmask());
    }
    return conf;
  }

  /**
   * Loads the catalog and asks it whether {@code table} exists, so that a catalog that cannot be
   * reached fails the run before anything is read, with its type and uri named.
   */
  public static Catalog loadReachable(Map<String, String> properties, TableIdentifier table) {
    Catalog catalog = load(properties);
    try {
      catalog.tableExists(table);
    } catch (RuntimeException e) {
      throw failure(properties, e);
    }
    return catalog;
  }

  /** A failure to open or ask the catalog, told as what the user can fix where it is known. */
  private static RuntimeException failure(Map<String, String> props, RuntimeException e) {
    String where =
        "the catalog (type "
            + props.getOrDefault("type", "?")
            + ", uri "
            + props.getOrDefault("uri", "?")
            + ")";
    Throwable refused = Causes.find(e, NotAuthorizedException.class);
    if (refused != null) {
      return new RunFailure(
          where
              + " refused the credentials: "
              + firstLine(refused)
              + ". Check outputs[].catalog.credential (client-id:secret), token and"
              + " oauth2-server-uri; nothing was read or committed",
          e);
    }
    java.sql.SQLException sql = Causes.find(e, java.sql.SQLException.class);
    if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("28")) {
      // SQL state class 28: invalid authorization (a wrong user or password)
      return new RunFailure(
          where
              + " refused the database user "
              + props.getOrDefault("jdbc.user", "(none)")
              + ": "
              + firstLine(sql)
              + ". Check outputs[].catalog.jdbc.user and jdbc.password; nothing was read or"
              + " committed",
          e);
    }
    Throwable forbidden = Causes.find(e, ForbiddenException.class);
    if (forbidden != null) {
      return new RunFailure(
          where
              + " does not allow this client: "
              + firstLine(forbidden)
              + ". It needs to read and commit the pipeline's tables and create them (or have"
              + " them created); nothing was read or committed",
          e);
    }
    Throwable network = Causes.network(e);
    if (network == null) {
      return e;
    }
    if (network instanceof java.net.SocketTimeoutException
        && "rest".equals(props.get("type"))
        && String.valueOf(network.getMessage()).contains("Read timed out")) {
      // it took the connection and never answered: up but stuck or overloaded
      return new RunFailure(
          where
              + " did not answer within "
              + props.getOrDefault(SOCKET_TIMEOUT, "180000")
              + " ms ("
              + SOCKET_TIMEOUT
              + "). Check that the catalog is healthy, or raise "
              + SOCKET_TIMEOUT
              + " in outputs[].catalog; nothing was read or committed",
          e);
    }
    return new RunFailure(
        "the catalog cannot be reached (type "
            + props.getOrDefault("type", "?")
            + ", uri "
            + props.getOrDefault("uri", "?")
            + "): "
            + network.getMessage()
            + ". Check outputs[].catalog (uri, credentials) and that the"
            + " catalog is up; nothing was read or committed",
        e);
  }

  private static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    return message.lines().findFirst().orElse(message).replace(": null", "");
  }
}
