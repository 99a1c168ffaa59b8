/** Runner profiles: plain YAML files mapped to Beam PipelineOptions. */
package dev.floe.runner;
