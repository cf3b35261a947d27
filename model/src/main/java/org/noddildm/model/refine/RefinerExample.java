package org.noddildm.model.refine;

import java.io.IOException;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.SubVoxels;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * One training subject of the refiner, all on the low-res grid: the classic features (input),
 * the truth minus the classic pipeline's upsampled answer in sub-voxel channels (target), and
 * the loss weight of each target value: 1 everywhere in the brain, except NDI and ODI where the
 * true FWF is {@value #FREE_WATER} or more, which weigh less (by default {@value
 * #FREE_WATER_WEIGHT}; {@link RefinerTrainConfig#freeWaterWeight}). There they
 * describe a small tissue share that the signal hardly shows, so they count less; but they
 * count, because a refiner trained without them returned worse NDI and ODI in the ventricles
 * than the classic fit (mean error 0.19 against 0.15 on NDI), which whole-volume SSIM and the
 * flattened scoring see.
 *
 * @param name the subject, for logs
 * @param features {@link ClassicEstimate#CHANNELS} channels
 * @param target 3 f^3 channels of the correction
 * @param weight 3 f^3 channels of loss weights
 * @param classic the classic pipeline's high-res maps (for validation)
 * @param truth the high-res truth (for validation)
 */
public record RefinerExample(String name, Volume features, Volume target, Volume weight,
    Volume classic, Volume truth) {
  /** NDI and ODI count fully only where the true FWF is below this. */
  public static final float FREE_WATER = ErrorMetrics.FREE_WATER;
  /** Default loss weight of NDI and ODI in free water. */
  public static final float FREE_WATER_WEIGHT = 0.5f;

  /**
   * The example of one subject of a paired dataset ({@code noddi simulate} layout) for a run
   * trained with {@code train} (how NDI and ODI in free water count).
   */
  public static RefinerExample of(PairedDataset data, String subject, RefinerTrainConfig train)
      throws IOException {
    Volume scan = data.lowResDwi(subject);
    ClassicEstimate est = ClassicEstimate.of(scan, data.table(subject),
        data.lowResMask(subject));
    return of(subject, est, data.maps(subject), data.mask(subject), data.factor(),
        train.freeWaterWeight(), train.keepClassicInFreeWater());
  }

  /** The same with the default training ({@link RefinerTrainConfig#defaults}). */
  public static RefinerExample of(PairedDataset data, String subject) throws IOException {
    return of(data, subject, RefinerTrainConfig.defaults());
  }

  /** The example from a classic estimate and the truth on its upsampled grid. */
  public static RefinerExample of(String name, ClassicEstimate est, Volume truth, Mask brain,
      int factor) {
    return of(name, est, truth, brain, factor, FREE_WATER_WEIGHT, false);
  }

  /**
   * The same, NDI and ODI in free water weighing {@code freeWaterWeight}, with the classic
   * estimate as their target there when {@code keepClassic}.
   */
  public static RefinerExample of(String name, ClassicEstimate est, Volume truth, Mask brain,
      int factor, double freeWaterWeight, boolean keepClassic) {
    Grid lo = est.features().grid();
    Grid hi = VolumeOps.upsampledGrid(lo, factor);
    BadArgumentException.require(truth.nt() == 3 && truth.nx() == hi.nx()
        && truth.ny() == hi.ny() && truth.nz() == hi.nz(), "refiner example " + name
        + ": expected 3 truth maps on " + hi.shape() + ", found " + truth.nt() + " on "
        + truth.grid().shape());
    Volume classic = est.upsampled(hi);
    int n = hi.size();
    float[] r = new float[3 * n];
    float[] w = new float[3 * n];
    for (int i = 0; i < n; i++) {
      if (!brain.contains(i)) {
        continue;
      }
      boolean tissue = truth.at(i, 2) < FREE_WATER;
      for (int k = 0; k < 3; k++) {
        r[k * n + i] = k < 2 && !tissue && keepClassic ? 0f : truth.at(i, k) - classic.at(i, k);
        w[k * n + i] = k == 2 || tissue ? 1f : (float) freeWaterWeight;
      }
    }
    return new RefinerExample(name, est.features(),
        SubVoxels.toChannels(new Volume(hi, 3, r), lo, factor),
        SubVoxels.toChannels(new Volume(hi, 3, w), lo, factor), classic,
        new Volume(truth.grid().withAffine(hi.affine()), 3, truth.data()));
  }
}
