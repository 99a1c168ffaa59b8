/**
 * {@code floe bench}: measures runs of the shipped pipeline (and of peers) from outside, and the
 * per-record hot path; tooling, not on the product's path.
 */
package dev.floe.bench;
