package org.noddildm.app.console;

import java.io.PrintWriter;
import java.util.Locale;
import org.noddildm.model.train.StepStats;
import org.noddildm.model.train.TrainingListener;

/** How every training command shows a trainer's progress: one listener for all of them. */
public final class TrainingLog {
  private TrainingLog() {}

  /**
   * A listener that moves {@code bar} (if any) one step per step with the step's terms, and
   * prints each validation on a line of its own to {@code out}.
   */
  public static TrainingListener of(Progress bar, PrintWriter out) {
    return new TrainingListener() {
      @Override
      public void onStep(StepStats s) {
        if (bar != null) {
          bar.status(s.brief());
          bar.step(1);
        }
      }

      @Override
      public void onValidation(long step, String summary) {
        out.printf(Locale.ROOT, "%nvalidation at step %d: %s%n", step, summary);
        out.flush();
      }
    };
  }
}
