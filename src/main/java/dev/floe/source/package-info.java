/** Kafka reads of exactly the planned offset ranges, as a bounded Beam source. */
package dev.floe.source;
