package org.noddildm.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.noddildm.app.bids.BidsCommand;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.predict.Predictor;

/**
 * The model of an executor: opened by the first task that needs it and kept for the life of
 * the executor's JVM, so that a cohort loads it once per executor, not once per subject. The
 * shipped model comes out of the jar; a {@code --model} folder is read where every executor
 * sees it (a shared path, or a folder that {@code spark-submit --archives model.tgz#model}
 * unpacks beside each executor).
 */
final class ExecutorModel {
  /** An open model and its identity (SHA-256 of its files). */
  record Loaded(Predictor predictor, ModelIdentity identity) {}

  private static final Map<String, Loaded> OPEN = new HashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorModel() {}

  /**
   * The model of these settings, opened once per JVM.
   *
   * @param model the folder, or null for the model in the jar
   * @param threads PyTorch's threads, fixed when the first model of the JVM loads the engine
   */
  static synchronized Loaded get(Path model, String device, int threads) throws IOException {
    String key = (model == null ? "shipped" : model.toAbsolutePath().normalize()) + "|" + device;
    Loaded l = OPEN.get(key);
    if (l == null) {
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true"); // never download at run time
      }
      if (OPEN.isEmpty() && System.getProperty("ai.djl.pytorch.num_threads") == null) {
        BidsCommand.setTorchThreads(threads);
      }
      Path dir = model != null ? model : ShippedModel.locate();
      Predictor p = Predictor.open(dir, Engines.device(device));
      l = new Loaded(p, ModelIdentity.of(dir));
      OPEN.put(key, l);
      LOADS.incrementAndGet();
    }
    return l;
  }

  /** How many models this JVM has opened (the tests check that it is one per setting). */
  static int loads() {
    return LOADS.get();
  }
}
