/**
 * A single-node Apache Kafka broker in KRaft mode, started from Kafka's own server classes, for the
 * demo and the tests.
 */
package dev.floe.broker;
