/**
 * Builds and runs the Beam graph of one batch from a spec and a plan; the only package that wires
 * the others together.
 */
package dev.floe.pipeline;
