/**
 * The schema registry: a client of its Confluent-compatible REST API, for the Avro writer schemas
 * that records name by id and the versions of a subject. Depends on {@code config} and {@code
 * errors} only.
 */
package dev.floe.registry;
