/**
 * Batch planning: which Kafka offsets one batch reads, from the offsets committed in the table and
 * the broker's end offsets.
 */
package dev.floe.plan;
