package dev.floe.spec;

import java.util.List;
import java.util.Map;

/**
 * One entry of a {@code sequence}: a SQL statement over the input and earlier steps, then column
 * functions in order.
 */
public record StepSpec(String name, String sql, List<FunctionSpec> functions, int line) implements java.io.Serializable {

  /** A column function, e.g. {@code set_type} with {@code columns: {time: timestamp}}. */
  public record FunctionSpec(String name, Map<String, FieldType> columns, int line) implements java.io.Serializable {}
}
