/** Record bytes to Beam Rows: CloudEvents in structured and binary mode; records that cannot be decoded become dead letters. */
package dev.floe.format;
