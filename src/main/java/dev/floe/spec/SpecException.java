package dev.floe.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline file that cannot be run, with every problem found in it. */
public class SpecException extends RuntimeException {
  private final List<SpecProblem> problems;

  public SpecException(List<SpecProblem> problems) {
    super(problems.stream().map(SpecProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<SpecProblem> problems() {
    return problems;
  }
}
