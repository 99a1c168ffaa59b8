package dev.floe.config;

import java.util.List;
import java.util.Map;

/**
 * One entry of a {@code sequence}: a SQL statement over the input and earlier steps, then column
 * functions in order.
 */
public record StepConfig(String name, String sql, List<FunctionConfig> functions, int line)
    implements java.io.Serializable {

  /** A column function, e.g. {@code set_type} with {@code columns: {time: timestamp}}. */
  public record FunctionConfig(String name, Map<String, FieldType> columns, int line)
      implements java.io.Serializable {}
}
