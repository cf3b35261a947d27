package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import org.noddildm.core.BadArgumentException;

/**
 * Exponential moving average of a network's weights, kept in a second network of the same
 * shape and used for sampling (Ho et al. 2020 sample with an EMA of decay 0.9999; Song and
 * Ermon 2020). After each optimiser step:
 * <pre>
 *   theta_ema = d theta_ema + (1 - d) theta,   d = min(decay, (1 + n) / (10 + n))
 * </pre>
 * where n counts the updates so far; the warm-up keeps the average from being dominated by the
 * random initial weights in short runs.
 */
public final class Ema {
  private final Block live;
  private final Block shadow;
  private final double decay;
  private long updates;

  /**
   * An average of {@code live} kept in {@code shadow} (same architecture, initialised); the
   * shadow starts as a copy of the live weights.
   */
  public Ema(Block live, Block shadow, double decay) {
    BadArgumentException.require(decay >= 0 && decay < 1, "EMA decay: expected in [0, 1), found "
        + decay);
    PairList<String, Parameter> a = live.getParameters();
    PairList<String, Parameter> b = shadow.getParameters();
    BadArgumentException.require(a.size() == b.size(), "EMA: expected a shadow network with "
        + a.size() + " parameters, found " + b.size());
    for (int i = 0; i < a.size(); i++) {
      BadArgumentException.require(a.get(i).getKey().equals(b.get(i).getKey())
          && a.get(i).getValue().getArray().getShape()
              .equals(b.get(i).getValue().getArray().getShape()),
          "EMA: expected parameter " + a.get(i).getKey() + " in the shadow, found "
              + b.get(i).getKey());
    }
    this.live = live;
    this.shadow = shadow;
    this.decay = decay;
    copy(live, shadow);
  }

  public Block shadow() {
    return shadow;
  }

  public long updates() {
    return updates;
  }

  /** Restores the update count (on resume). */
  public void setUpdates(long n) {
    updates = n;
  }

  /** The decay used for the next update. */
  public double currentDecay() {
    return Math.min(decay, (1.0 + updates) / (10.0 + updates));
  }

  /** Moves the average towards the live weights. */
  public void update() {
    float d = (float) currentDecay();
    PairList<String, Parameter> a = live.getParameters();
    PairList<String, Parameter> b = shadow.getParameters();
    for (int i = 0; i < a.size(); i++) {
      NDArray w = a.get(i).getValue().getArray();
      NDArray s = b.get(i).getValue().getArray();
      try (NDArray part = w.mul(1 - d)) {
        s.muli(d).addi(part);
      }
    }
    updates++;
  }

  /** Copies every weight of {@code from} into {@code to} (same architecture). */
  public static void copy(Block from, Block to) {
    PairList<String, Parameter> a = from.getParameters();
    PairList<String, Parameter> b = to.getParameters();
    for (int i = 0; i < a.size(); i++) {
      a.get(i).getValue().getArray().copyTo(b.get(i).getValue().getArray());
    }
  }
}
