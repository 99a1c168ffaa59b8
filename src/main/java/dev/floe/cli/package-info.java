/** Command-line entry points (picocli): run, validate, explain, demo. */
package dev.floe.cli;
