package org.noddildm.core.physics.anatomy;

import java.util.SplittableRandom;
import org.noddildm.core.physics.phantom.SmoothField;
import org.noddildm.core.physics.phantom.Tissue;

/**
 * One subject's NODDI parameters per tissue, within the ranges of the procedural phantom
 * (Zhang et al. 2012; Kodiweera et al. 2016; see {@code BrainPhantom}):
 *
 * <pre>
 *   tissue        NDI                    ODI                              FWF          S0
 *   white matter  0.55-0.67 (+0.08 in    0.05-0.12 in labelled tracts,    0.01-0.05    1000
 *                 labelled tracts)       0.18-0.30 elsewhere, + up to
 *                                        0.25 where tracts cross
 *   cortex        0.35-0.50              0.45-0.65                        0.05-0.12    1250 +-8%
 *   deep GM       0.45-0.55              0.30-0.45                        0.03-0.08    1150 +-8%
 *   CSF           0                      0                                1            2500 +-12%
 * </pre>
 *
 * Values vary smoothly in space (smooth random fields through tanh, evaluated in template
 * millimetres so they move with the anatomy) and per region (an offset for the cerebellum and
 * each deep nucleus). Lesions lower NDI by up to 45%, raise FWF by up to 0.3
 * and ODI by up to 0.1. The S0 contrast between tissues varies per subject, and a smooth
 * multiplicative bias field (3-12%) is applied in scanner space. A wider prior ({@link
 * Variation#parameterSpread}) shifts each tissue's NDI and ODI range per subject and scales the
 * fields' spatial frequency.
 */
final class TissueParameters {
  /** Frequency of the parameter fields: the procedural phantom's 3 per half brain (~70 mm). */
  static final double FIELD_FREQUENCY = 3.0 / 70;
  static final double S0_WM = 1000;
  /** Largest shift of a tissue's NDI range at parameter spread 1. */
  static final double NDI_SHIFT = 0.08;
  /** Largest shift of a tissue's ODI range at parameter spread 1. */
  static final double ODI_SHIFT = 0.10;

  private final SmoothField[] f = new SmoothField[9];
  private final double[] regionNdi;
  private final double[] regionOdi;
  private final SmoothField bias;
  private final double biasAmplitude;
  final double[] s0 = new double[Tissue.COUNT];

  /**
   * Per-subject shifts of the ranges ({@link Variation#parameterSpread}): NDI of cortex, deep
   * gray matter, white matter, then ODI of the same; 0 in the default variation.
   */
  private final double[] shift = new double[6];

  /**
   * @param rnd the parameters' stream
   * @param spread {@link Variation#parameterSpread}; with 0 {@code spreadRnd} is not drawn from,
   *     so that subjects of the default variation stay as they were
   */
  TissueParameters(SplittableRandom rnd, int regions, SplittableRandom spreadRnd,
      double spread) {
    double frequency = FIELD_FREQUENCY;
    if (spread > 0) {
      frequency *= Math.pow(2, spread * (2 * spreadRnd.nextDouble() - 1));
      for (int k = 0; k < shift.length; k++) {
        shift[k] = spread * (k < 3 ? NDI_SHIFT : ODI_SHIFT) * (2 * spreadRnd.nextDouble() - 1);
      }
    }
    for (int k = 0; k < f.length; k++) {
      f[k] = new SmoothField(rnd, 12, frequency);
    }
    regionNdi = new double[regions];
    regionOdi = new double[regions];
    for (int r = 1; r < regions; r++) {
      regionNdi[r] = 0.02 * (2 * rnd.nextDouble() - 1);
      regionOdi[r] = 0.03 * (2 * rnd.nextDouble() - 1);
    }
    bias = new SmoothField(rnd, 6, 1.5 / 70);
    biasAmplitude = 0.03 + 0.09 * rnd.nextDouble();
    s0[Tissue.CSF] = 2500 * (1 + 0.12 * (2 * rnd.nextDouble() - 1));
    s0[Tissue.GM] = 1250 * (1 + 0.08 * (2 * rnd.nextDouble() - 1));
    s0[Tissue.WM] = S0_WM;
    s0[Tissue.DEEP_GM] = 1150 * (1 + 0.08 * (2 * rnd.nextDouble() - 1));
  }

  /** The smooth fields (tanh of, in [-1, 1]) at template offset (x, y, z) mm from the centre. */
  void fields(double x, double y, double z, double[] out) {
    for (int k = 0; k < f.length; k++) {
      out[k] = Math.tanh(f[k].at(x, y, z));
    }
  }

  /** The multiplicative bias at subject point q (mm). */
  double bias(double[] q) {
    return 1 + biasAmplitude * Math.tanh(bias.at(q[0], q[1], q[2]));
  }

  /**
   * NDI, ODI, FWF of each tissue into nd, od, fw (indexed by {@link Tissue}).
   *
   * @param t the fields from {@link #fields}
   * @param region the region of the voxel (0: none)
   * @param tract membership in a labelled tract (0..1)
   * @param crossing crossing term of two labelled tracts (0..1)
   * @param lesion lesion effect (0..1)
   */
  void tissues(double[] t, int region, double tract, double crossing, double lesion,
      double[] nd, double[] od, double[] fw) {
    int r = region < regionNdi.length ? region : 0;
    nd[Tissue.CSF] = 0;
    od[Tissue.CSF] = 0;
    fw[Tissue.CSF] = 1;
    double[] d = shift;
    nd[Tissue.GM] = clamp(0.425 + 0.06 * t[0] + regionNdi[r] + d[0], 0.35 + d[0], 0.50 + d[0]);
    od[Tissue.GM] = clamp(0.55 + 0.07 * t[1] + regionOdi[r] + d[3], 0.45 + d[3], 0.65 + d[3]);
    fw[Tissue.GM] = 0.085 + 0.035 * t[2];
    nd[Tissue.DEEP_GM] = clamp(0.50 + 0.04 * t[3] + regionNdi[r] + d[1], 0.45 + d[1],
        0.55 + d[1]);
    od[Tissue.DEEP_GM] = clamp(0.375 + 0.06 * t[4] + regionOdi[r] + d[4], 0.30 + d[4],
        0.45 + d[4]);
    fw[Tissue.DEEP_GM] = 0.055 + 0.025 * t[2];
    double odiBackground = 0.24 + 0.06 * t[1] + d[5];
    double odiTract = Math.max(0.03, 0.085 + 0.035 * t[5] + 0.5 * d[5]);
    double o = odiBackground + tract * (odiTract - odiBackground) + 0.25 * crossing;
    double n = 0.61 + 0.06 * t[0] + 0.08 * tract + d[2];
    double w = 0.03 + 0.02 * t[3];
    nd[Tissue.WM] = n * (1 - 0.45 * lesion);
    od[Tissue.WM] = clamp(o + 0.1 * lesion, 0.02, 0.6);
    fw[Tissue.WM] = Math.min(1, w + 0.3 * lesion);
  }

  /** A unit direction for deep gray matter from three of the fields (orientation is weak). */
  static void deepDirection(double[] t, double[] out) {
    out[0] = t[6];
    out[1] = t[7];
    out[2] = t[8] + 1e-3;
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
