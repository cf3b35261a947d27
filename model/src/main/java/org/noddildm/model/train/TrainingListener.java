package org.noddildm.model.train;

/**
 * What every trainer reports as it goes, the one listener of the training contract: each step,
 * and each validation as the line that says what it measured (the trainer writes the line, so
 * that every command and the pipeline show a part's validation the same way).
 */
public interface TrainingListener {
  /** After each step. */
  void onStep(StepStats s);

  /** After each validation at {@code step}, with what it measured. */
  void onValidation(long step, String summary);

  /** A listener that ignores everything (tests, benchmarks). */
  TrainingListener NONE = new TrainingListener() {
    @Override
    public void onStep(StepStats s) {}

    @Override
    public void onValidation(long step, String summary) {}
  };
}
