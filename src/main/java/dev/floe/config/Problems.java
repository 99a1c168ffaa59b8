package dev.floe.config;

import java.util.ArrayList;
import java.util.List;

/** Errors and warnings collected while reading one pipeline file. */
final class Problems {
  final String file;
  final List<ConfigProblem> errors = new ArrayList<>();
  final List<ConfigProblem> warnings = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  void error(int line, String path, String message) {
    errors.add(new ConfigProblem(file, line, path, message));
  }

  void warn(int line, String path, String message) {
    warnings.add(new ConfigProblem(file, line, path, message));
  }
}
