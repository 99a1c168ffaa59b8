/**
 * Kafka record bytes to Beam rows: CloudEvents in structured and binary mode; records that cannot
 * be decoded become dead letters.
 */
package dev.floe.decode;
