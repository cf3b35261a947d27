package org.noddildm.app.bids;

import com.google.gson.JsonObject;
import org.noddildm.app.report.SnrEstimate;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Quality figures of one run that need no ground truth: the brain size and the b0 signal to
 * noise ratio.
 *
 * <p>The SNR ({@link SnrEstimate}) is the temporal SNR of the b0 volumes: in each brain voxel the mean of the b0s over
 * their standard deviation (n - 1), and the median of that over the brain. It needs at least two
 * b0s and is null with one. Motion and drift between the b0s lower it, so it is a lower bound of
 * the thermal SNR, and a useful flag for a scan with motion.
 *
 * @param brainVoxels voxels in the brain mask on the output grid
 * @param brainVoxelsNative voxels in the brain mask on the scan's grid
 * @param b0Count number of b0 volumes
 * @param b0Snr median temporal SNR of the b0s in the brain, or NaN with fewer than two b0s
 * @param shells the gradient table's summary, e.g. "6 b0, 2 shells (b=1000 x 30, ...)"
 */
public record RunQc(long brainVoxels, long brainVoxelsNative, int b0Count, double b0Snr,
    String shells) {

  /** The figures of {@code scan} with the brain masks of its outputs. */
  static RunQc of(Volume scan, GradientTable table, Mask nativeBrain, Mask hiBrain) {
    int[] b0 = table.b0Indices();
    return new RunQc(hiBrain == null ? 0 : hiBrain.count(), nativeBrain.count(), b0.length,
        temporalSnr(scan, b0, nativeBrain), table.summary());
  }

  static double temporalSnr(Volume scan, int[] b0, Mask brain) {
    return SnrEstimate.b0TemporalSnr(scan, b0, brain);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("brainVoxels", brainVoxels);
    o.addProperty("brainVoxelsNative", brainVoxelsNative);
    o.addProperty("b0Count", b0Count);
    o.addProperty("b0Snr", b0Snr);
    o.addProperty("shells", shells);
    return o;
  }

  static RunQc fromJson(JsonObject o) {
    return new RunQc(o.get("brainVoxels").getAsLong(), o.get("brainVoxelsNative").getAsLong(),
        o.get("b0Count").getAsInt(), o.get("b0Snr").isJsonNull() ? Double.NaN
            : o.get("b0Snr").getAsDouble(), o.get("shells").getAsString());
  }
}
