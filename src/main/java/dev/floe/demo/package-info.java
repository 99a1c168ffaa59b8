/**
 * Sample CloudEvents (sensor readings) produced in structured and binary mode, for the demo and the
 * tests.
 */
package dev.floe.demo;
