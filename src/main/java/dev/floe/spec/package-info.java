/** Pipeline specifications: immutable records, the YAML loader and its validation; no Beam, Kafka or Iceberg here. */
package dev.floe.spec;
