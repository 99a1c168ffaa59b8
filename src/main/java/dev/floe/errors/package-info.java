/** The failures Floe tells users about (exit codes 3 and 4), and walks down cause chains. */
package dev.floe.errors;
