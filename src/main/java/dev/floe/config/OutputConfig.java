package dev.floe.config;

import java.util.Map;

/**
 * An Iceberg output: a catalog given by its standard properties, and the namespace tables go in.
 * The reference's {@code depot}.
 */
public record OutputConfig(String name, Map<String, String> catalogProperties, String namespace)
    implements java.io.Serializable {}
