/**
 * A pipeline's configuration: immutable records, the YAML loader and its validation; no Beam, Kafka
 * or Iceberg here.
 */
package dev.floe.config;
