package org.noddildm.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/**
 * The one entry point to the deep-learning engine: DJL with PyTorch, loaded fully offline.
 *
 * <p>Sets {@code ai.djl.offline=true} before the engine loads, so that DJL never downloads a
 * native library at run time: the library comes from the {@code pytorch-native-cpu} jar on the
 * class path (or, for CUDA, from a directory named by {@code PYTORCH_LIBRARY_PATH}; see
 * docs/deep-learning.md). Thread counts follow the cores unless the user set them.
 */
public final class Engines {
  /** The engine's name in DJL. */
  public static final String PYTORCH = "PyTorch";

  private static volatile Engine engine;

  private Engines() {}

  /** The PyTorch engine, loaded once, offline, with intra-op threads = available cores. */
  public static Engine pytorch() {
    Engine e = engine;
    if (e != null) {
      return e;
    }
    synchronized (Engines.class) {
      if (engine == null) {
        System.setProperty("ai.djl.offline", "true");
        int cores = Runtime.getRuntime().availableProcessors();
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
          System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(cores));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
          System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        engine = Engine.getEngine(PYTORCH);
      }
      return engine;
    }
  }

  /**
   * The device named on the command line: {@code cpu}, {@code gpu} (the first GPU) or
   * {@code gpu:N}. A GPU that the loaded engine cannot see is an error, not a silent fallback.
   */
  public static Device device(String name) {
    String n = name == null ? "cpu" : name.trim().toLowerCase(Locale.ROOT);
    Engine e = pytorch();
    if (n.equals("cpu")) {
      return Device.cpu();
    }
    if (n.equals("gpu") || n.startsWith("gpu:")) {
      int id = 0;
      if (n.startsWith("gpu:")) {
        try {
          id = Integer.parseInt(n.substring(4));
        } catch (NumberFormatException ex) {
          throw new BadArgumentException("device: expected cpu, gpu or gpu:N, found " + name);
        }
      }
      int gpus = e.getGpuCount();
      BadArgumentException.require(id < gpus, "device " + name + ": expected a CUDA GPU, found "
          + gpus + " with the " + e.getEngineName() + " " + e.getVersion()
          + " library in use (the default is CPU-only; see docs/deep-learning.md)");
      return Device.gpu(id);
    }
    throw new BadArgumentException("device: expected cpu, gpu or gpu:N, found " + name);
  }

  /** Whether PyTorch records gradients on the calling thread (its grad mode is per thread). */
  public static boolean gradMode() {
    pytorch();
    return ai.djl.pytorch.jni.JniUtils.isGradMode();
  }

  /** Turns PyTorch's gradient recording on or off for the calling thread. */
  public static void setGradMode(boolean on) {
    pytorch();
    ai.djl.pytorch.jni.JniUtils.setGradMode(on);
  }

  /** A new root manager on {@code device}; close it when done. */
  public static NDManager newManager(Device device) {
    return NDManager.newBaseManager(device, pytorch().getEngineName());
  }

  /** Seeds the engine's own generator (weight initialisation, dropout). */
  public static void seed(long seed) {
    pytorch().setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /** "PyTorch 2.7.1 (DJL 0.36.0)" for logs and model.json. */
  public static String describe() {
    Engine e = pytorch();
    return e.getEngineName() + " " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
  }
}
