package org.noddildm.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.model.nn.Autograd;

/**
 * Adam (Kingma and Ba 2015) whose state can be saved and restored exactly, so that a resumed run
 * continues the same trajectory (DJL's own optimizers keep their state private):
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * theta -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}.
 */
public final class Adam {
  private final List<Parameter> params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final List<NDArray> m = new ArrayList<>();
  private final List<NDArray> v = new ArrayList<>();
  private long t;

  /** State arrays live in {@code manager} (the model's). */
  public Adam(List<Parameter> params, double beta1, double beta2, double eps, NDManager manager) {
    this.params = List.copyOf(params);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    for (Parameter p : this.params) {
      m.add(manager.zeros(p.getArray().getShape()));
      v.add(manager.zeros(p.getArray().getShape()));
    }
  }

  /** Applies one update with learning rate {@code lr}; temporaries go to {@code scope}. */
  public void step(double lr, NDManager scope) {
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < params.size(); i++) {
      NDArray g = Autograd.grad(params.get(i), scope);
      NDArray mi = m.get(i).muli((float) beta1).addi(g.mul((float) (1 - beta1)));
      NDArray vi = v.get(i).muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
      NDArray mhat = Autograd.scoped(mi.div((float) c1), g); // per-step temporaries
      NDArray vhat = Autograd.scoped(vi.div((float) c2), g);
      NDArray update = mhat.div(vhat.sqrt().add((float) eps)).mul((float) lr);
      params.get(i).getArray().subi(update);
    }
  }

  public long stepCount() {
    return t;
  }

  /** The moments m then v of every parameter, for a checkpoint. */
  public NDList state() {
    NDList all = new NDList();
    all.addAll(m);
    all.addAll(v);
    return all;
  }

  /** Restores moments saved by {@link #state()} and the step count. */
  public void restore(NDList state, long stepCount) {
    if (state.size() != 2 * params.size()) {
      throw new IllegalStateException("optimizer state: expected " + 2 * params.size()
          + " arrays, found " + state.size());
    }
    for (int i = 0; i < params.size(); i++) {
      m.get(i).muli(0).addi(state.get(i));
      v.get(i).muli(0).addi(state.get(params.size() + i));
    }
    t = stepCount;
  }
}
