/** Pipeline steps: Beam SQL statements and column functions such as set_type. */
package dev.floe.transform;
