package org.noddildm.core.metrics;

/**
 * Scores of one predicted map against its reference.
 *
 * @param name map name, e.g. "NDI"
 * @param psnr PSNR in dB (inside the mask when one was given)
 * @param ssim scikit-image SSIM over the whole volume (border cropped)
 * @param ssimMasked mean of the SSIM map over the mask voxels; NaN without a mask
 * @param mae mean absolute error (inside the mask when one was given)
 * @param mse mean squared error (inside the mask when one was given)
 * @param dataRange the data range R used for PSNR and SSIM
 */
public record MapScores(String name, double psnr, double ssim, double ssimMasked, double mae,
    double mse, double dataRange) {

  /** Means of the scores over maps, named {@code name}; the data range is NaN if they differ. */
  public static MapScores mean(String name, java.util.List<MapScores> maps) {
    double p = 0;
    double s = 0;
    double sm = 0;
    double a = 0;
    double m = 0;
    double r = maps.get(0).dataRange;
    for (MapScores x : maps) {
      p += x.psnr;
      s += x.ssim;
      sm += x.ssimMasked;
      a += x.mae;
      m += x.mse;
      if (x.dataRange != r) {
        r = Double.NaN;
      }
    }
    int n = maps.size();
    return new MapScores(name, p / n, s / n, sm / n, a / n, m / n, r);
  }
}
