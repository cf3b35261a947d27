package org.noddildm.app.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.metrics.SampleMetrics;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.residual.LatentCoder;
import org.noddildm.model.residual.ResidualDiffusion;
import org.noddildm.model.residual.ResidualExample;
import org.noddildm.model.residual.SubVoxelLatent;
import org.noddildm.model.residual.VqganLatent;
import org.noddildm.model.train.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi dev bench latent}: how much of what the refiner misses a latent can carry. For
 * each subject, the refiner's maps r, the truth t, and the "oracle" r + D(E(t)) - D(E(r)) (what
 * a perfect sampler of the latent would give), scored in the brain against the truth: PSNR and
 * detail (Laplacian RMS over the truth's), with D(E(t)) itself, the autoencoder's own
 * reconstruction. A latent whose oracle cannot reach the truth's detail caps every diffusion
 * model in it.
 */
@Command(name = "latent", mixinStandardHelpOptions = true,
    description = "What a latent can carry: the refiner, the oracle sample r + D(E(t)) - D(E(r))"
        + " and the autoencoder's reconstruction D(E(t)), PSNR in the brain and detail, per map.")
public final class LatentBench implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR",
      description = "Model folder whose refiner makes r (default: the model in this build).")
  Path model;

  @Option(names = "--vqgan-noddi", paramLabel = "DIR",
      description = "The NODDI VQ-GAN whose latent is measured (default: the sub-voxel latent).")
  Path vqgan;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "A paired dataset (noddi simulate) the refiner was not trained on.")
  Path data;

  @Option(names = "--subject", required = true, split = ",", paramLabel = "SUB",
      description = "Its subjects to measure, comma-separated.")
  List<String> subjects;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    Path dir = model != null ? model : ShippedModel.locate();
    Path refinerDir = RefinerCheckpoints.isRefiner(dir) ? dir : dir.resolve("refiner");
    BadArgumentException.require(RefinerCheckpoints.isRefiner(refinerDir), "--model: expected"
        + " a model folder with a refiner, found " + dir);
    PairedDataset ds = PairedDataset.openForTraining(data);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Refiner refiner = RefinerCheckpoints.load(refinerDir, m);
      LatentCoder coder = vqgan == null ? new SubVoxelLatent(refiner.config().factor())
          : new VqganLatent(Checkpoints.loadGenerator(vqgan, m));
      o.printf(Locale.ROOT, "latent: %s, factor %d, %d channels%n", coder.kind(),
          coder.factor(), coder.channels());
      o.println("| subject | map | PSNR refiner | PSNR oracle | PSNR D(E(t)) | detail refiner"
          + " | detail oracle | detail D(E(t)) |");
      o.println("|---|---|---|---|---|---|---|---|");
      String[] maps = {"NDI", "ODI", "FWF"};
      for (String sub : subjects) {
        ResidualExample e = ResidualExample.of(RefinerExample.of(ds, sub), refiner);
        Grid hi = e.refined().grid();
        int[] n = ResidualDiffusion.latentSize(hi, coder.factor(), 4);
        Volume zr = coder.encode(e.refined(), n, m);
        Volume zt = coder.encode(e.truth(), n, m);
        float[] delta = zt.data().clone();
        for (int i = 0; i < delta.length; i++) {
          delta[i] -= zr.data()[i];
        }
        // the sample a perfect sampler would draw, made as the diffusion model makes its own
        Volume oracle = new Volume(hi, 3, coder.shifted(e.refined(), zr,
            delta, coder.decode(zr, hi, m), m));
        Volume recon = new Volume(hi, 3, coder.decode(zt, hi, m));
        Mask brain = RefinerTrainer.brain(e.truth(), e.weight(), e.factor());
        double[] pr = RefinerTrainer.psnrInBrain(e.truth(), e.refined(), brain);
        double[] po = RefinerTrainer.psnrInBrain(e.truth(), oracle, brain);
        double[] pd = RefinerTrainer.psnrInBrain(e.truth(), recon, brain);
        for (int t = 0; t < 3; t++) {
          o.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", sub,
              maps[t], pr[t], po[t], pd[t],
              SampleMetrics.detailRatio(e.refined(), e.truth(), t, brain),
              SampleMetrics.detailRatio(oracle, e.truth(), t, brain),
              SampleMetrics.detailRatio(recon, e.truth(), t, brain));
        }
        o.flush();
      }
    }
    return 0;
  }
}
