package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * A per-voxel sd from few samples, pooled over its neighbours: the sd of N samples has N - 1
 * degrees of freedom (at N = 4 a voxel's sd is off by about 40% from the draw alone), so
 * {@link #pooled} averages the variance over the voxel's {@code size^3} neighbours inside the
 * brain and takes the root. Where the spread changes smoothly, as an uncertainty does, this
 * keeps its level and removes most of the draw's scatter.
 */
public final class LocalSpread {
  private LocalSpread() {}

  /**
   * The root of the mean of {@code sd}^2 over each voxel's {@code size}^3 neighbours in
   * {@code brain} (null = everywhere), volume by volume; 0 outside the brain. Borders as
   * {@link SeparableFilter} (reflect).
   */
  public static Volume pooled(Volume sd, Mask brain, int size) {
    BadArgumentException.require(size >= 1 && size % 2 == 1, "pooling size: expected an odd"
        + " size >= 1, found " + size);
    int n = sd.grid().size();
    BadArgumentException.require(brain == null || brain.grid().size() == n, "brain: expected "
        + n + " voxels, found " + (brain == null ? 0 : brain.grid().size()));
    int[] shape = {sd.nx(), sd.ny(), sd.nz()};
    double[] w = SeparableFilter.boxKernel(size);
    double[] in = new double[n];
    for (int i = 0; i < n; i++) {
      in[i] = brain == null || brain.contains(i) ? 1 : 0;
    }
    double[] share = SeparableFilter.apply(in, shape, w);
    float[] out = new float[sd.data().length];
    for (int v = 0; v < sd.nt(); v++) {
      double[] var = new double[n];
      for (int i = 0; i < n; i++) {
        double s = sd.data()[v * n + i];
        var[i] = in[i] * s * s;
      }
      double[] sum = SeparableFilter.apply(var, shape, w);
      for (int i = 0; i < n; i++) {
        // a voxel in the brain is its own neighbour, so its share is > 0
        out[v * n + i] = in[i] > 0 ? (float) Math.sqrt(Math.max(0, sum[i] / share[i])) : 0f;
      }
    }
    return new Volume(sd.grid(), sd.nt(), out);
  }

  /**
   * sqrt(a^2 + (weight b)^2), voxel by voxel: two independent sources of spread, in the units
   * of the maps, as one sd.
   */
  public static Volume combined(Volume a, Volume b, double weight) {
    BadArgumentException.require(a.data().length == b.data().length, "spreads: expected the"
        + " same size, found " + a.data().length + " and " + b.data().length);
    float[] out = new float[a.data().length];
    for (int i = 0; i < out.length; i++) {
      double x = a.data()[i];
      double y = weight * b.data()[i];
      out[i] = (float) Math.sqrt(x * x + y * y);
    }
    return new Volume(a.grid(), a.nt(), out);
  }
}
