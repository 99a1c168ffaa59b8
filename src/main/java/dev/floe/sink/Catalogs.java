package dev.floe.sink;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Iceberg catalogs from their standard properties ({@code type}, {@code uri}, {@code warehouse},
 * {@code io-impl}, ...). A Hadoop catalog's warehouse may be a relative local path.
 */
public final class Catalogs {
  private Catalogs() {}

  public static Catalog load(Map<String, String> properties) {
    Map<String, String> props = new HashMap<>(properties);
    String warehouse = props.get("warehouse");
    if (warehouse != null && URI.create(warehouse.replace(" ", "%20")).getScheme() == null) {
      props.put("warehouse", Path.of(warehouse).toAbsolutePath().normalize().toUri().toString());
    }
    return CatalogUtil.buildIcebergCatalog("floe", props, new Configuration());
  }
}
