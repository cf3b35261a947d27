package org.noddildm.model.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;

/**
 * The subjects of one or more paired datasets ({@code noddi simulate}), split for training:
 * the last {@code holdOut} subjects of each dataset (at most all but one) are validation
 * subjects, the others training subjects. Held-out anatomy is refused
 * ({@link PairedDataset#openForTraining}), and every dataset must have the same degradation
 * factor.
 *
 * @param train one example per training subject
 * @param validation one example per validation subject
 * @param datasets what each dataset was and which subjects were held out, for model.json
 * @param factor the datasets' degradation factor
 */
public record HeldOutSplit<T>(List<T> train, List<T> validation, JsonArray datasets, int factor) {

  /** Turns one subject of a dataset into a training example. */
  public interface Maker<T> {
    T make(PairedDataset data, String subject) throws IOException;
  }

  /**
   * The split of the single-dataset commands: the last tenth of the subjects (at least one)
   * held out; a dataset of one subject has no validation subject.
   */
  public static <T> HeldOutSplit<T> lastTenth(Path data, Maker<T> maker) throws IOException {
    return lastTenth(List.of(data), maker);
  }

  /**
   * The same over several datasets: from each, the last tenth of the smallest one's subjects
   * (at least one) held out.
   */
  public static <T> HeldOutSplit<T> lastTenth(List<Path> data, Maker<T> maker)
      throws IOException {
    int n = Integer.MAX_VALUE;
    for (Path d : data) {
      n = Math.min(n, PairedDataset.openForTraining(d).subjects().size());
    }
    return of(data, Math.max(1, (int) Math.round(n * 0.1)), 0, null, maker);
  }

  /** The validation examples, or the training ones when no subject could be held out. */
  public List<T> validationOrTrain() {
    return validation.isEmpty() ? train : validation;
  }

  /**
   * Splits {@code data}; with {@code factor} above 0 every dataset must have it ({@code whose}
   * names where it comes from, e.g. "the refiner's factor"), else they must agree.
   */
  public static <T> HeldOutSplit<T> of(List<Path> data, int holdOut, int factor, String whose,
      Maker<T> maker) throws IOException {
    List<T> train = new ArrayList<>();
    List<T> val = new ArrayList<>();
    JsonArray sets = new JsonArray();
    int f = factor;
    for (Path dir : data) {
      PairedDataset d = PairedDataset.openForTraining(dir);
      if (factor > 0) {
        BadArgumentException.require(d.factor() == factor, "paired datasets: expected " + whose
            + " " + factor + ", found " + d.factor() + " (" + dir + ")");
      } else {
        BadArgumentException.require(f == 0 || d.factor() == f, "paired datasets: expected one"
            + " degradation factor, found " + f + " and " + d.factor() + " (" + dir + ")");
        f = d.factor();
      }
      List<String> subs = d.subjects();
      int nVal = Math.min(holdOut, subs.size() - 1);
      JsonObject set = new JsonObject();
      set.addProperty("dataset", d.describe());
      set.addProperty("trainSubjects", subs.size() - nVal);
      JsonArray held = new JsonArray();
      for (int k = 0; k < subs.size(); k++) {
        T e = maker.make(d, subs.get(k));
        if (k >= subs.size() - nVal) {
          val.add(e);
          held.add(subs.get(k));
        } else {
          train.add(e);
        }
      }
      set.add("validationSubjects", held);
      sets.add(set);
    }
    return new HeldOutSplit<>(train, val, sets, f);
  }
}
