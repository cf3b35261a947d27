package org.noddildm.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.console.Progress;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.pipeline.TrainPipeline;
import org.noddildm.model.refine.RefinerConfig;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.train.TrainConfig;
import org.noddildm.model.unet.UnetConfig;
import org.noddildm.model.vqgan.VqganConfig;
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
    description = {"Train the whole model on paired datasets (noddi simulate): the NODDI"
        + " VQ-GAN, the refiner (default estimate) and the diffusion model on top of it, into"
        + " one model directory for noddi predict --model. Defaults are those of the shipped"
        + " model (CPU-sized).",
        "--resume continues each part from its last checkpoint; a part that has reached its"
            + " steps is kept."})
public final class TrainCommand implements Callable<Integer> {
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

  @Option(names = "--hold-out", defaultValue = "1", paramLabel = "N",
      description = "Last subjects of each dataset kept for validation (default:"
          + " ${DEFAULT-VALUE}).")
  int holdOut;

  @Option(names = "--steps-vqgan", defaultValue = "2000", paramLabel = "N",
      description = "Steps of the NODDI VQ-GAN at --lr (default: ${DEFAULT-VALUE}).")
  int stepsVqgan;

  @Option(names = "--finetune-vqgan", defaultValue = "600", paramLabel = "N",
      description = "Further NODDI VQ-GAN steps at --finetune-lr (default: ${DEFAULT-VALUE}).")
  int finetuneVqgan;

  @Option(names = "--width-vqgan", defaultValue = "16", paramLabel = "N",
      description = "NODDI VQ-GAN base width (default: ${DEFAULT-VALUE}).")
  int widthVqgan;

  @Option(names = "--down-factor", defaultValue = "2", paramLabel = "F",
      description = "Spatial downsampling of the VQ-GAN (default: ${DEFAULT-VALUE}).")
  int downFactor;

  @Option(names = "--latent-dim", defaultValue = "8", paramLabel = "N",
      description = "Latent channels of the VQ-GAN (default: ${DEFAULT-VALUE}).")
  int latentDim;

  @Option(names = "--codebook", defaultValue = "256", paramLabel = "K",
      description = "Codebook entries (default: ${DEFAULT-VALUE}).")
  int codebook;

  @Option(names = "--code-groups", defaultValue = "4", paramLabel = "G",
      description = "Latent channel groups quantized on their own (default: ${DEFAULT-VALUE}).")
  int codeGroups;

  @Option(names = "--crop", defaultValue = "32", paramLabel = "VOXELS",
      description = "VQ-GAN training crop, a multiple of the factor (default: ${DEFAULT-VALUE}).")
  int crop;

  @Option(names = "--batch-vqgan", defaultValue = "2", paramLabel = "N",
      description = "VQ-GAN crops per step (default: ${DEFAULT-VALUE}).")
  int batchVqgan;

  @Option(names = "--disc-start", paramLabel = "STEP",
      description = "VQ-GAN step at which the discriminator (GAN loss) starts (default: never;"
          + " CPU-length runs are too short for it, and the shipped model has none).")
  Integer discStart;

  @Option(names = "--lr", defaultValue = "4e-4", paramLabel = "RATE",
      description = "Adam learning rate of the VQ-GAN (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--steps-refiner", defaultValue = "3000", paramLabel = "N",
      description = "Steps of the refiner, cosine-decayed learning rate (default:"
          + " ${DEFAULT-VALUE}).")
  int stepsRefiner;

  @Option(names = "--width-refiner", defaultValue = "32", paramLabel = "N",
      description = "Refiner hidden channels (default: ${DEFAULT-VALUE}).")
  int widthRefiner;

  @Option(names = "--blocks", defaultValue = "5", paramLabel = "N",
      description = "Refiner residual blocks (default: ${DEFAULT-VALUE}).")
  int blocks;

  @Option(names = "--crop-refiner", defaultValue = "24", paramLabel = "VOXELS",
      description = "Refiner training crop on the low-res grid (default: ${DEFAULT-VALUE}).")
  int cropRefiner;

  @Option(names = "--lr-refiner", defaultValue = "1e-3", paramLabel = "RATE",
      description = "Peak learning rate of the refiner (default: ${DEFAULT-VALUE}).")
  double lrRefiner;

  @Option(names = "--gradient-weight", defaultValue = "0.5", paramLabel = "W",
      description = "Weight of the refiner's loss on the maps' finite differences (default:"
          + " ${DEFAULT-VALUE}).")
  double gradientWeight;

  @Option(names = "--free-water-weight", paramLabel = "W",
      description = "Refiner loss weight of NDI and ODI where the true FWF >= 0.9 (default:"
          + " 0.5).")
  Double freeWaterWeight;

  @Option(names = "--steps-ldm", defaultValue = "4000", paramLabel = "N",
      description = "Steps of the diffusion model at --lr-ldm (default: ${DEFAULT-VALUE}).")
  int stepsLdm;

  @Option(names = "--finetune-ldm", defaultValue = "0", paramLabel = "N",
      description = "Further diffusion steps at --finetune-lr (default: ${DEFAULT-VALUE}).")
  int finetuneLdm;

  @Option(names = "--width-ldm", defaultValue = "24", paramLabel = "N",
      description = "U-Net base width (default: ${DEFAULT-VALUE}).")
  int widthLdm;

  @Option(names = "--attention", description = "Self-attention in the U-Net's lowest level (off"
      + " by default: it would make each voxel depend on the whole tile).")
  boolean attention;

  @Option(names = "--latent-crop", defaultValue = "16", paramLabel = "VOXELS",
      description = "Diffusion training crop in latent voxels (default: ${DEFAULT-VALUE}).")
  int latentCrop;

  @Option(names = "--batch-ldm", defaultValue = "4", paramLabel = "N",
      description = "Latent crops per diffusion step (default: ${DEFAULT-VALUE}).")
  int batchLdm;

  @Option(names = "--lr-ldm", defaultValue = "2e-4", paramLabel = "RATE",
      description = "Adam learning rate of the diffusion model (default: ${DEFAULT-VALUE}).")
  double lrLdm;

  @Option(names = "--finetune-lr", defaultValue = "1e-4", paramLabel = "RATE",
      description = "Learning rate of the fine-tuning steps (default: ${DEFAULT-VALUE}).")
  double finetuneLr;

  @Option(names = "--ema", defaultValue = "0.995", paramLabel = "DECAY",
      description = "EMA decay of the diffusion model's sampling weights (default:"
          + " ${DEFAULT-VALUE}).")
  double ema;

  @Option(names = "--validate-steps", defaultValue = "10", paramLabel = "N",
      description = "DDIM steps of the diffusion model's validation (default: ${DEFAULT-VALUE}).")
  int validateSteps;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
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
    BadArgumentException.require(stepsVqgan >= 1 && stepsRefiner >= 1 && stepsLdm >= 1,
        "--steps-vqgan/--steps-refiner/--steps-ldm: expected >= 1, found " + stepsVqgan + ", "
            + stepsRefiner + ", " + stepsLdm);
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
    int totalVqgan = stepsVqgan + finetuneVqgan;
    VqganConfig vq = VqganConfig.defaults(3).withWidth(widthVqgan).withDownFactor(downFactor)
        .withLatent(latentDim, codebook, codeGroups)
        .withDiscStart(discStart == null ? totalVqgan + 1 : discStart).withSeed(seed);
    int every = Math.max(1, totalVqgan / 4);
    TrainConfig vqTrain = TrainConfig.forCrops(stepsVqgan, batchVqgan, crop, lr, every, every,
        downFactor);
    RefinerTrainConfig rt = RefinerTrainConfig.defaults().withSteps(stepsRefiner)
        .withLr(lrRefiner).withBatch(4).withSeed(seed).withCrop(cropRefiner)
        .withIntervals(Math.max(1, stepsRefiner / 12), Math.max(1, stepsRefiner / 12))
        .withGradientWeight(gradientWeight);
    if (freeWaterWeight != null) {
      rt = rt.withFreeWaterWeight(freeWaterWeight);
    }
    int totalLdm = stepsLdm + finetuneLdm;
    TrainPipeline.Config c = new TrainPipeline.Config(vq, vqTrain, finetuneVqgan,
        RefinerConfig.defaults().withWidth(widthRefiner).withBlocks(blocks), rt,
        UnetConfig.residual(widthLdm, attention, seed),
        new LdmTrainConfig(stepsLdm, batchLdm, latentCrop, lrLdm, ema,
            Math.max(1, totalLdm / 4)), finetuneLdm, finetuneLr, holdOut, validateSteps,
        Math.max(1, totalLdm / 4));
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
