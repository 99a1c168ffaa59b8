package dev.floe.config;

/**
 * An error or warning about a pipeline file, located at a line and a key path, e.g. {@code
 * pipelines/x.yaml:14: sink[0].outputOptions.saveMode: 'upsert' is not a save mode; use one of
 * append, overwrite, complete}.
 */
public record ConfigProblem(String file, int line, String path, String message)
    implements java.io.Serializable {

  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line : file;
    return path.isEmpty() ? where + ": " + message : where + ": " + path + ": " + message;
  }
}
