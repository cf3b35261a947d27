package org.noddildm.app.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.ldm.LdmCheckpoints;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.residual.LatentCoder;
import org.noddildm.model.residual.ResidualDiffusion;
import org.noddildm.model.residual.ResidualExample;
import org.noddildm.model.residual.ResidualLatents;
import org.noddildm.model.residual.ResidualLdmRun;
import org.noddildm.model.residual.SubVoxelLatent;
import org.noddildm.model.residual.VqganLatent;
import org.noddildm.model.train.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi dev bench denoiser}: what a diffusion model built on the refiner makes of a
 * subject's own residual along its chain ({@link ResidualDiffusion#denoisedAt}). Per subject
 * and step t, the PSNR in the brain of r + D(x0^) (x0^ the denoiser's estimate from the residual
 * latent noised to t), beside the refiner's: at t = T - 1 one draw of the posterior mean, which
 * must not fall below the refiner; at small t how well the model restores a residual it nearly
 * sees. The measurement that found the free-water residuals swamping the tissue's
 * (docs/plan-diffusion.md).
 */
@Command(name = "denoiser", mixinStandardHelpOptions = true,
    description = "What a diffusion model built on the refiner makes of a subject's own residual"
        + " noised to step t: PSNR in the brain of the refined maps plus its x0 estimate, per"
        + " step and map, beside the refiner's.")
public final class DenoiserBench implements Callable<Integer> {
  @Option(names = "--ldm", required = true, paramLabel = "DIR",
      description = "The diffusion model's folder (train-residual-ldm --out).")
  Path ldm;

  @Option(names = "--refiner", paramLabel = "DIR",
      description = "The refiner it builds on (default: the one its model.json names).")
  Path refinerDir;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "A paired dataset (noddi simulate) neither model was trained on.")
  Path data;

  @Option(names = "--subject", required = true, split = ",", paramLabel = "SUB",
      description = "Its subjects to measure, comma-separated.")
  List<String> subjects;

  @Option(names = "--t", split = ",", paramLabel = "STEP",
      defaultValue = "5,50,150,300,500,700,900,999",
      description = "Steps to noise the residual to (default: ${DEFAULT-VALUE}).")
  List<Integer> steps;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the noise (default:"
      + " ${DEFAULT-VALUE}).")
  long seed;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    JsonObject meta = LdmCheckpoints.readJson(ldm).getAsJsonObject("data");
    Boolean classic = meta == null || !meta.has("condition") ? null
        : ResidualDiffusion.classicCondition(meta.get("condition").getAsString());
    BadArgumentException.require(classic != null, "--ldm: expected a diffusion model built on"
        + " the refiner (train-residual-ldm), found another kind in " + ldm);
    Path rd = refinerDir != null ? refinerDir : Path.of(meta.get("refiner").getAsString());
    BadArgumentException.require(RefinerCheckpoints.isRefiner(rd), "--refiner: expected a"
        + " refiner's folder, found " + rd);
    PairedDataset ds = PairedDataset.openForTraining(data);
    ResidualExample.Target target = ResidualExample.Target.of(meta);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Refiner refiner = RefinerCheckpoints.load(rd, m);
      LdmCheckpoints.Loaded l = LdmCheckpoints.loadForSampling(ldm, m);
      LatentCoder coder = ResidualLdmRun.subVoxel(meta)
          ? new SubVoxelLatent(meta.get("factor").getAsInt())
          : new VqganLatent(Checkpoints.loadGenerator(Path.of(meta.get("vqganNoddi")
              .getAsString()), m));
      ResidualDiffusion model = new ResidualDiffusion(coder, l.net(),
          ResidualLatents.scales(meta), meta.get("condScale").getAsDouble(), classic, m);
      o.printf(Locale.ROOT, "diffusion model at step %d (%s latent, target: %s), PSNR in the"
          + " brain (dB; NDI and ODI where the true FWF < 0.9)%n", l.step(), coder.kind(),
          target.meaning());
      o.println("| subject | t | NDI | ODI | FWF | refiner NDI | refiner ODI | refiner FWF |");
      o.println("|---|---|---|---|---|---|---|---|");
      for (String sub : subjects) {
        ResidualExample e = ResidualExample.of(RefinerExample.of(ds, sub), refiner);
        Mask brain = RefinerTrainer.brain(e.truth(), e.weight(), e.factor());
        double[] r = RefinerTrainer.psnrInBrain(e.truth(), e.refined(), brain);
        for (int t : steps) {
          Volume y = model.denoisedAt(e.refined(), e.features(), e.target(target),
              l.diffusion(), t, seed, ConditionalGenerator.TILE, ConditionalGenerator.OVERLAP,
              m);
          double[] p = RefinerTrainer.psnrInBrain(e.truth(), y, brain);
          o.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", sub, t,
              p[0], p[1], p[2], r[0], r[1], r[2]);
          o.flush();
        }
      }
    }
    return 0;
  }
}
