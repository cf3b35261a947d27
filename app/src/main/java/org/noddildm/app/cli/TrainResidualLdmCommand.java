package org.noddildm.app.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.console.Progress;
import org.noddildm.app.console.TrainingLog;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.Engines;
import org.noddildm.model.ldm.LdmCheckpoints;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.ldm.LdmTrainer;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.residual.LatentCoder;
import org.noddildm.model.residual.ResidualDiffusion;
import org.noddildm.model.residual.ResidualLdmRun;
import org.noddildm.model.residual.SubVoxelLatent;
import org.noddildm.model.residual.VqganLatent;
import org.noddildm.model.train.Checkpoints;
import org.noddildm.model.unet.UnetConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi train-residual-ldm}: trains the diffusion model that builds on the refiner
 * ({@link ResidualDiffusion}): the U-Net learns the NODDI VQ-GAN latent of what the refiner's
 * maps miss, given the latent of the refiner's maps.
 */
@Command(name = "train-residual-ldm", mixinStandardHelpOptions = true,
    description = {"Train the diffusion model on top of the refiner: for each subject of the"
        + " paired datasets the refiner (noddi train-refiner) makes its maps; the U-Net learns"
        + " the NODDI VQ-GAN latent of the truth minus that of the refiner's maps, given the"
        + " latter. Use datasets the refiner was not trained on, so that its errors look like"
        + " those on new scans.",
        "Writes MODEL_DIR/model.json and the latest checkpoint; --resume continues exactly."})
public final class TrainResidualLdmCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, split = ",", paramLabel = "DIR",
      description = "Paired datasets (noddi simulate --out), comma-separated.")
  List<Path> data;

  @Option(names = "--refiner", required = true, paramLabel = "MODEL_DIR",
      description = "The trained refiner (noddi train-refiner --out).")
  Path refinerDir;

  @Option(names = "--vqgan-noddi", paramLabel = "MODEL_DIR",
      description = "The NODDI VQ-GAN (noddi train-vqgan --target noddi), for --latent vqgan.")
  Path vqganNoddi;

  @Option(names = "--latent", paramLabel = "subvoxel|vqgan", defaultValue = LatentCoder.SUBVOXEL,
      description = "The latent the residuals are sampled in: subvoxel (each map's sub-voxels of"
          + " the refiner's factor as channels, lossless) or vqgan (the NODDI VQ-GAN's, which"
          + " needs --vqgan-noddi); default: ${DEFAULT-VALUE}. A resumed run keeps its own.")
  String latent;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Output.")
  Path out;

  @Option(names = "--hold-out", defaultValue = "1", paramLabel = "N",
      description = "Last subjects of each dataset kept for validation (default:"
          + " ${DEFAULT-VALUE}).")
  int holdOut;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "4000",
      description = "Total training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "4",
      description = "Latent crops per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--crop", paramLabel = "VOXELS", defaultValue = "16",
      description = "Side of the cubic latent crops (default: ${DEFAULT-VALUE}).")
  int crop;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "2e-4",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0.995",
      description = "Decay of the weight average used for sampling (default: ${DEFAULT-VALUE}).")
  double ema;

  @Option(names = "--width", paramLabel = "N", defaultValue = "24",
      description = "U-Net base width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--condition", paramLabel = "refiner|refiner+classic",
      defaultValue = ResidualDiffusion.CONDITION_CLASSIC, description = "What the U-Net is"
          + " given besides the noise: the refiner's maps' latent alone, or with the classic"
          + " estimate's features (the fit, DTI, S0, shell means; default: ${DEFAULT-VALUE})."
          + " A resumed run keeps its own.")
  String condition;

  @Option(names = "--attention", description = "Self-attention at the lowest level (off by"
      + " default: it would make each voxel depend on the whole tile).")
  boolean attention;

  @Option(names = "--levels", paramLabel = "N", defaultValue = "2",
      description = "U-Net resolution levels, 1-4; each halves the latent grid and doubles the"
          + " width up to 4 times --width, so --crop must be a multiple of 2^(N-1). More levels"
          + " see farther: large-scale structure (default: ${DEFAULT-VALUE}).")
  int levels;

  @Option(names = "--res-blocks", paramLabel = "N", defaultValue = "1",
      description = "Residual blocks per U-Net level on the way down (one more on the way up):"
          + " depth at every resolution, the finest included (default: ${DEFAULT-VALUE}).")
  int resBlocks;

  @Option(names = "--global-context", description = "The U-Net also sees its whole latent grid:"
      + " the mean of its lowest level's features joins the step embedding of every later block,"
      + " so that a sample can make one draw the whole grid shares. It sees one latent tile at"
      + " prediction (32): train with --crop 32. Off by default (docs/BENCHMARKS.md).")
  boolean globalContext;

  @Option(names = "--noise-levels", paramLabel = "uniform|lognormal-mix", defaultValue = "uniform",
      description = "Diffusion steps the batches are trained at: uniform, or half of each batch"
          + " at EDM's log-normal noise levels (middle and low noise, where a sample's detail is"
          + " drawn; Karras et al. 2022). A resumed run keeps its own (default:"
          + " ${DEFAULT-VALUE}).")
  String noiseLevels;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of weights, crops, steps and noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "250",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--validate-every", paramLabel = "N", defaultValue = "500",
      description = "Steps between validations (one DDIM sample per held-out subject, PSNR in"
          + " the brain against the refiner's); 0: only at the end (default: ${DEFAULT-VALUE}).")
  int validateEvery;

  @Option(names = "--validate-steps", paramLabel = "N", defaultValue = "10",
      description = "DDIM steps of the validation samples (default: ${DEFAULT-VALUE}).")
  int validateSteps;

  @Option(names = "--resume", description = "Continue the run in MODEL_DIR from its last"
      + " checkpoint (its config wins; --steps may extend it).")
  boolean resume;

  @Option(names = "--init-from", paramLabel = "MODEL_DIR", description = "Start a new run from"
      + " the weights of this diffusion model (same U-Net; the optimizer starts afresh): a warm"
      + " start when the targets or scales change but the network can keep what it learned.")
  Path initFrom;

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    BadArgumentException.require(holdOut >= 1, "--hold-out: expected >= 1, found " + holdOut);
    BadArgumentException.require(validateEvery >= 0, "--validate-every: expected >= 0, found "
        + validateEvery);
    BadArgumentException.require(levels >= 1 && levels <= UnetConfig.MAX_RESIDUAL_LEVELS,
        "--levels: expected 1 to " + UnetConfig.MAX_RESIDUAL_LEVELS + ", found " + levels);
    BadArgumentException.require(resBlocks >= 1, "--res-blocks: expected >= 1, found "
        + resBlocks);
    boolean exists = Files.exists(out.resolve(LdmCheckpoints.MODEL_JSON));
    BadArgumentException.require(resume == exists, resume ? "--resume: expected "
        + out.resolve(LdmCheckpoints.MODEL_JSON) + " from an earlier run, found none"
        : "--out: " + out + " already holds a model; use --resume or another directory");
    requireRefiner(refinerDir);
    Boolean classicCondition = ResidualDiffusion.classicCondition(condition);
    BadArgumentException.require(classicCondition != null, "--condition: expected "
        + ResidualDiffusion.CONDITION + " or " + ResidualDiffusion.CONDITION_CLASSIC + ", found "
        + condition);
    boolean classic = classicCondition;
    Device dev = Engines.device(deviceOption.get());
    try (NDManager m = Engines.newManager(dev)) {
      Refiner refiner = RefinerCheckpoints.load(refinerDir, m);
      JsonObject resumed = resume ? LdmCheckpoints.readJson(out).getAsJsonObject("data") : null;
      boolean subVoxel = resumed != null ? ResidualLdmRun.subVoxel(resumed)
          : LatentCoder.SUBVOXEL.equals(latent);
      BadArgumentException.require(resumed != null || subVoxel || LatentCoder.VQGAN.equals(latent),
          "--latent: expected subvoxel or vqgan, found " + latent);
      BadArgumentException.require(subVoxel || vqganNoddi != null, "--vqgan-noddi: expected the"
          + " NODDI VQ-GAN of --latent vqgan, found none");
      LatentCoder coder = subVoxel ? new SubVoxelLatent(refiner.config().factor())
          : new VqganLatent(Checkpoints.loadGenerator(vqganNoddi, m));
      long t0 = System.nanoTime();
      try (ResidualLdmRun.Session session = ResidualLdmRun.open(data, holdOut, refiner,
          refinerDir, coder, subVoxel ? null : vqganNoddi, classic,
          UnetConfig.residual(width, levels, resBlocks, attention, seed)
              .withGlobalContext(globalContext),
          new LdmTrainConfig(steps, batch, crop, lr, ema, checkpointEvery, noiseLevels), validateEvery,
          validateSteps, seed, out, resume, initFrom, dev, m)) {
        ResidualLdmRun.Prepared prep = session.prepared();
        var first = prep.latents().pairs().get(0);
        pw.printf(Locale.ROOT, "train-residual-ldm: %d training and %d validation subjects"
            + " (refined and encoded in %.1f s), latent %d x %d x %d, %d channels, %s%n",
            prep.split().train().size(), prep.split().validation().size(),
            (System.nanoTime() - t0) / 1e9, first.w(), first.h(), first.d(), first.channels(),
            Engines.describe());
        pw.flush();
        LdmTrainer tr = session.trainer();
        try (Progress p = new Progress("train-residual-ldm", Math.max(0, steps - tr.step()),
            "step")) {
          double avg = session.run().run(tr, steps, out, session.meta(), m,
              TrainingLog.of(p, pw));
          pw.printf(Locale.ROOT, "wrote %s (step %d, smoothed loss %.4f)%n",
              out.resolve(LdmCheckpoints.MODEL_JSON), tr.step(), avg);
        }
      }
    }
    return 0;
  }

  /** Checked so that an unreadable refiner fails before any work. */
  static void requireRefiner(Path dir) throws IOException {
    BadArgumentException.require(RefinerCheckpoints.isRefiner(dir), "--refiner: expected a"
        + " refiner directory (noddi train-refiner --out), found " + dir);
  }
}
