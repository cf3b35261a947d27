package org.noddildm.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.app.console.Progress;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.pipeline.TrainPipeline;
import org.noddildm.model.pipeline.TrainSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code noddi train}: trains the model that ships, in one process ({@link TrainPipeline}): the
 * NODDI VQ-GAN, the refiner (the default estimate) and the diffusion model built on the refiner,
 * into the subfolders {@code vqgan-noddi/}, {@code refiner/} and {@code ldm/} of one model
 * directory with its model.json, which {@code noddi predict --model} loads. This command only
 * turns options into the pipeline's config and prints its progress.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    defaultValueProvider = TrainCommand.Defaults.class,
    description = {"Train the whole model on paired datasets (noddi simulate): the NODDI"
        + " VQ-GAN, the refiner (default estimate) and the diffusion model on top of it, into"
        + " one model directory for noddi predict --model. Defaults are those of the shipped"
        + " model (CPU-sized).",
        "--resume continues each part from its last checkpoint; a part that has reached its"
            + " steps is kept."})
public final class TrainCommand implements Callable<Integer> {
  /** The defaults: the settings of the shipped model ({@link TrainSettings#shipped()}). */
  static final class Defaults extends RecordDefaults {
    @Override
    Map<String, Object> defaults() {
      TrainSettings t = TrainSettings.shipped();
      return Map.ofEntries(Map.entry("--hold-out", t.holdOut()),
          Map.entry("--steps-vqgan", t.stepsVqgan()),
          Map.entry("--finetune-vqgan", t.finetuneVqgan()),
          Map.entry("--width-vqgan", t.widthVqgan()), Map.entry("--down-factor", t.downFactor()),
          Map.entry("--latent-dim", t.latentDim()), Map.entry("--codebook", t.codebook()),
          Map.entry("--code-groups", t.codeGroups()), Map.entry("--crop", t.crop()),
          Map.entry("--batch-vqgan", t.batchVqgan()), Map.entry("--lr", t.lr()),
          Map.entry("--steps-refiner", t.stepsRefiner()),
          Map.entry("--width-refiner", t.widthRefiner()), Map.entry("--blocks", t.blocks()),
          Map.entry("--crop-refiner", t.cropRefiner()), Map.entry("--lr-refiner", t.lrRefiner()),
          Map.entry("--gradient-weight", t.gradientWeight()),
          Map.entry("--steps-ldm", t.stepsLdm()), Map.entry("--finetune-ldm", t.finetuneLdm()),
          Map.entry("--width-ldm", t.widthLdm()), Map.entry("--latent-crop", t.latentCrop()),
          Map.entry("--batch-ldm", t.batchLdm()), Map.entry("--lr-ldm", t.lrLdm()),
          Map.entry("--finetune-lr", t.finetuneLr()), Map.entry("--ema", t.ema()),
          Map.entry("--validate-steps", t.validateSteps()), Map.entry("--seed", t.seed()));
    }
  }

  @Option(names = "--data", required = true, split = ",", paramLabel = "DIR",
      description = "Paired datasets (noddi simulate --out) for the VQ-GAN and the refiner,"
          + " comma-separated.")
  List<Path> data;

  @Option(names = "--ldm-data", split = ",", paramLabel = "DIR",
      description = "Paired datasets for the diffusion model, best subjects the refiner never"
          + " saw (default: --data).")
  List<Path> ldmData;

  @Option(names = "--out", required = true, paramLabel = "MODEL",
      description = "Model directory to write.")
  Path out;

  @Option(names = "--hold-out", paramLabel = "N",
      description = "Last subjects of each dataset kept for validation (default:"
          + " ${DEFAULT-VALUE}).")
  int holdOut;

  @Option(names = "--steps-vqgan", paramLabel = "N",
      description = "Steps of the NODDI VQ-GAN at --lr (default: ${DEFAULT-VALUE}).")
  int stepsVqgan;

  @Option(names = "--finetune-vqgan", paramLabel = "N",
      description = "Further NODDI VQ-GAN steps at --finetune-lr (default: ${DEFAULT-VALUE}).")
  int finetuneVqgan;

  @Option(names = "--width-vqgan", paramLabel = "N",
      description = "NODDI VQ-GAN base width (default: ${DEFAULT-VALUE}).")
  int widthVqgan;

  @Option(names = "--down-factor", paramLabel = "F",
      description = "Spatial downsampling of the VQ-GAN (default: ${DEFAULT-VALUE}).")
  int downFactor;

  @Option(names = "--latent-dim", paramLabel = "N",
      description = "Latent channels of the VQ-GAN (default: ${DEFAULT-VALUE}).")
  int latentDim;

  @Option(names = "--codebook", paramLabel = "K",
      description = "Codebook entries (default: ${DEFAULT-VALUE}).")
  int codebook;

  @Option(names = "--code-groups", paramLabel = "G",
      description = "Latent channel groups quantized on their own (default: ${DEFAULT-VALUE}).")
  int codeGroups;

  @Option(names = "--crop", paramLabel = "VOXELS",
      description = "VQ-GAN training crop, a multiple of the factor (default: ${DEFAULT-VALUE}).")
  int crop;

  @Option(names = "--batch-vqgan", paramLabel = "N",
      description = "VQ-GAN crops per step (default: ${DEFAULT-VALUE}).")
  int batchVqgan;

  @Option(names = "--disc-start", paramLabel = "STEP",
      description = "VQ-GAN step at which the discriminator (GAN loss) starts (default: never;"
          + " CPU-length runs are too short for it, and the shipped model has none).")
  Integer discStart;

  @Option(names = "--lr", paramLabel = "RATE",
      description = "Adam learning rate of the VQ-GAN (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--steps-refiner", paramLabel = "N",
      description = "Steps of the refiner, cosine-decayed learning rate (default:"
          + " ${DEFAULT-VALUE}).")
  int stepsRefiner;

  @Option(names = "--width-refiner", paramLabel = "N",
      description = "Refiner hidden channels (default: ${DEFAULT-VALUE}).")
  int widthRefiner;

  @Option(names = "--blocks", paramLabel = "N",
      description = "Refiner residual blocks (default: ${DEFAULT-VALUE}).")
  int blocks;

  @Option(names = "--crop-refiner", paramLabel = "VOXELS",
      description = "Refiner training crop on the low-res grid (default: ${DEFAULT-VALUE}).")
  int cropRefiner;

  @Option(names = "--lr-refiner", paramLabel = "RATE",
      description = "Peak learning rate of the refiner (default: ${DEFAULT-VALUE}).")
  double lrRefiner;

  @Option(names = "--gradient-weight", paramLabel = "W",
      description = "Weight of the refiner's loss on the maps' finite differences (default:"
          + " ${DEFAULT-VALUE}).")
  double gradientWeight;

  @Option(names = "--free-water-weight", paramLabel = "W",
      description = "Refiner loss weight of NDI and ODI where the true FWF >= 0.9 (default:"
          + " 0.5).")
  Double freeWaterWeight;

  @Option(names = "--steps-ldm", paramLabel = "N",
      description = "Steps of the diffusion model at --lr-ldm (default: ${DEFAULT-VALUE}).")
  int stepsLdm;

  @Option(names = "--finetune-ldm", paramLabel = "N",
      description = "Further diffusion steps at --finetune-lr (default: ${DEFAULT-VALUE}).")
  int finetuneLdm;

  @Option(names = "--width-ldm", paramLabel = "N",
      description = "U-Net base width (default: ${DEFAULT-VALUE}).")
  int widthLdm;

  @Option(names = "--attention", description = "Self-attention in the U-Net's lowest level (off"
      + " by default: it would make each voxel depend on the whole tile).")
  boolean attention;

  @Option(names = "--latent-crop", paramLabel = "VOXELS",
      description = "Diffusion training crop in latent voxels (default: ${DEFAULT-VALUE}).")
  int latentCrop;

  @Option(names = "--batch-ldm", paramLabel = "N",
      description = "Latent crops per diffusion step (default: ${DEFAULT-VALUE}).")
  int batchLdm;

  @Option(names = "--lr-ldm", paramLabel = "RATE",
      description = "Adam learning rate of the diffusion model (default: ${DEFAULT-VALUE}).")
  double lrLdm;

  @Option(names = "--finetune-lr", paramLabel = "RATE",
      description = "Learning rate of the fine-tuning steps (default: ${DEFAULT-VALUE}).")
  double finetuneLr;

  @Option(names = "--ema", paramLabel = "DECAY",
      description = "EMA decay of the diffusion model's sampling weights (default:"
          + " ${DEFAULT-VALUE}).")
  double ema;

  @Option(names = "--validate-steps", paramLabel = "N",
      description = "DDIM steps of the diffusion model's validation (default: ${DEFAULT-VALUE}).")
  int validateSteps;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of all parts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--resume", description = "Continue each part from its last checkpoint.")
  boolean resume;

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    TrainPipeline.Config c = new TrainSettings(holdOut, stepsVqgan, finetuneVqgan, widthVqgan,
        downFactor, latentDim, codebook, codeGroups, crop, batchVqgan, discStart, lr,
        stepsRefiner, widthRefiner, blocks, cropRefiner, lrRefiner, gradientWeight,
        freeWaterWeight, stepsLdm, finetuneLdm, widthLdm, attention, latentCrop, batchLdm, lrLdm,
        finetuneLr, ema, validateSteps, seed).config();
    for (Path d : data) {
      PairedDataset.openForTraining(d); // a clear error before any training
    }
    boolean exists = Files.exists(out);
    BadArgumentException.require(resume || !exists, "--out: " + out + " already exists; use"
        + " --resume to continue its training or choose another directory");
    List<Path> forLdm = ldmData == null ? data : ldmData;
    if (ldmData == null) {
      o.println("train: the diffusion model learns from --data too; its validation is then"
          + " optimistic, since the refiner has seen those subjects (--ldm-data: others)");
    }
    JsonObject prov = new JsonObject();
    prov.addProperty("command", String.join(" ", spec.commandLine().getParseResult()
        .originalArgs()));
    JsonArray sets = new JsonArray();
    data.forEach(d -> sets.add(d.toAbsolutePath().toString()));
    prov.add("datasets", sets);
    JsonArray ldmSets = new JsonArray();
    forLdm.forEach(d -> ldmSets.add(d.toAbsolutePath().toString()));
    prov.add("ldmDatasets", ldmSets);
    prov.addProperty("date", Instant.now().toString());
    long start = System.nanoTime();
    Progress[] bar = {null};
    try {
      new TrainPipeline(c, Engines.device(deviceOption.get())).run(data, forLdm, out, prov,
          new TrainPipeline.Listener() {
            @Override
            public void onPart(int k, int n, String what) {
              close(bar);
              o.printf("%n[%d/%d] %s%n", k, n, what);
              o.flush();
            }

            @Override
            public void onStep(long done, long total, String status) {
              if (bar[0] == null) {
                bar[0] = new Progress("train", total - done + 1, "step");
              }
              bar[0].status(status);
              bar[0].step(1);
            }

            @Override
            public void onMessage(String line) {
              close(bar);
              o.println(line);
              o.flush();
            }
          });
    } finally {
      close(bar);
    }
    o.printf(Locale.ROOT, "%nwrote %s in %.0f s: predict with noddi predict --model %s --dwi"
        + " ... --bval ... --bvec ... --out PREFIX%n", out.resolve(ModelBundle.MODEL_JSON),
        (System.nanoTime() - start) / 1e9, out);
    o.flush();
    return 0;
  }

  /** Ends the current progress bar (a message or a new part follows). */
  private static void close(Progress[] bar) {
    if (bar[0] != null) {
      bar[0].close();
      bar[0] = null;
    }
  }
}
