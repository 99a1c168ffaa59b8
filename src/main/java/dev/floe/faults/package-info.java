/**
 * Named fault points where crash tests halt or fail a run; inert unless a {@code floe.test.*}
 * system property names one.
 */
package dev.floe.faults;
