package org.noddildm.app.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.data.PairedSubjects;
import org.noddildm.model.ldm.ModelBundle;
import org.noddildm.model.train.Checkpoints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi train}: the whole chain in one command. It runs {@code train-vqgan --target
 * noddi}, {@code train-vqgan --target dwi} and {@code train-ldm} into the subfolders
 * {@code vqgan-noddi/}, {@code vqgan-dwi/}, {@code ldm/} of one model directory and writes its
 * model.json ({@link ModelBundle#FORMAT}), which {@code noddi predict --model} loads.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train the whole model on a paired dataset (noddi simulate): the NODDI"
        + " VQ-GAN, the DMRI-features VQ-GAN, then the latent diffusion model, into one model"
        + " directory for noddi predict --model. Defaults are CPU-sized.",
        "Each part is an ordinary train-vqgan / train-ldm run; --resume continues each part"
            + " from its last checkpoint."})
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Paired dataset (sub-0001/, ... as written by noddi simulate).")
  Path data;

  @Option(names = "--out", required = true, paramLabel = "MODEL",
      description = "Model directory to write.")
  Path out;

  @Option(names = "--steps-vqgan", defaultValue = "2000", paramLabel = "N",
      description = "Steps of the NODDI VQ-GAN at --lr (default: ${DEFAULT-VALUE}).")
  int stepsVqgan;

  @Option(names = "--finetune-vqgan", defaultValue = "600", paramLabel = "N",
      description = "Further NODDI VQ-GAN steps at --finetune-lr (default: ${DEFAULT-VALUE}).")
  int finetuneVqgan;

  @Option(names = "--steps-dwi", defaultValue = "1500", paramLabel = "N",
      description = "Steps of the DMRI-features VQ-GAN; the diffusion model reads its encoder"
          + " only (default: ${DEFAULT-VALUE}).")
  int stepsDwi;

  @Option(names = "--steps-ldm", defaultValue = "3000", paramLabel = "N",
      description = "Steps of the diffusion model at --lr-ldm (default: ${DEFAULT-VALUE}).")
  int stepsLdm;

  @Option(names = "--finetune-ldm", defaultValue = "1500", paramLabel = "N",
      description = "Further diffusion steps at --finetune-lr (default: ${DEFAULT-VALUE}).")
  int finetuneLdm;

  @Option(names = "--width-vqgan", defaultValue = "16", paramLabel = "N",
      description = "NODDI VQ-GAN base width (default: ${DEFAULT-VALUE}).")
  int widthVqgan;

  @Option(names = "--width-dwi", defaultValue = "8", paramLabel = "N",
      description = "DMRI VQ-GAN base width (default: ${DEFAULT-VALUE}).")
  int widthDwi;

  @Option(names = "--width-ldm", defaultValue = "24", paramLabel = "N",
      description = "U-Net base width (default: ${DEFAULT-VALUE}).")
  int widthLdm;

  @Option(names = "--down-factor", defaultValue = "2", paramLabel = "F",
      description = "Spatial downsampling of both autoencoders (default: ${DEFAULT-VALUE}).")
  int downFactor;

  @Option(names = "--latent-dim", defaultValue = "8", paramLabel = "N",
      description = "Latent channels of both autoencoders (default: ${DEFAULT-VALUE}).")
  int latentDim;

  @Option(names = "--codebook", defaultValue = "256", paramLabel = "K",
      description = "Codebook entries (default: ${DEFAULT-VALUE}).")
  int codebook;

  @Option(names = "--code-groups", defaultValue = "4", paramLabel = "G",
      description = "Latent channel groups quantized on their own (default: ${DEFAULT-VALUE}).")
  int codeGroups;

  @Option(names = "--crop", defaultValue = "32", paramLabel = "VOXELS",
      description = "NODDI VQ-GAN training crop, a multiple of the factor (default:"
          + " ${DEFAULT-VALUE}).")
  int crop;

  @Option(names = "--crop-dwi", defaultValue = "16", paramLabel = "VOXELS",
      description = "DMRI VQ-GAN training crop (default: ${DEFAULT-VALUE}).")
  int cropDwi;

  @Option(names = "--latent-crop", defaultValue = "16", paramLabel = "VOXELS",
      description = "Diffusion training crop in latent voxels, even (default: ${DEFAULT-VALUE}).")
  int latentCrop;

  @Option(names = "--batch-ldm", defaultValue = "2", paramLabel = "N",
      description = "Latent crops per diffusion step (default: ${DEFAULT-VALUE}).")
  int batchLdm;

  @Option(names = "--lr", defaultValue = "4e-4", paramLabel = "RATE",
      description = "Adam learning rate of the autoencoders (default: ${DEFAULT-VALUE}).")
  double lr;

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

  @Option(names = "--prediction", defaultValue = "v", paramLabel = "eps|v",
      description = "What the denoiser predicts (default: ${DEFAULT-VALUE}).")
  String prediction;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed of all parts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--validate-steps", defaultValue = "25", paramLabel = "N",
      description = "DDIM steps of the diffusion model's validation (default: ${DEFAULT-VALUE}).")
  int validateSteps;

  @Option(names = "--resume", description = "Continue each part from its last checkpoint.")
  boolean resume;

  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Where to compute: cpu (default), gpu or gpu:N.")
  String device;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    BadArgumentException.require(stepsVqgan >= 1 && stepsDwi >= 1 && stepsLdm >= 1,
        "--steps-vqgan/--steps-dwi/--steps-ldm: expected >= 1, found " + stepsVqgan + ", "
            + stepsDwi + ", " + stepsLdm);
    BadArgumentException.require(finetuneVqgan >= 0 && finetuneLdm >= 0,
        "--finetune-vqgan/--finetune-ldm: expected >= 0, found " + finetuneVqgan + ", "
            + finetuneLdm);
    PairedSubjects.subjects(data); // a clear error before any training
    boolean exists = Files.exists(out);
    BadArgumentException.require(resume || !exists, "--out: " + out + " already exists; use"
        + " --resume to continue its training or choose another directory");
    long start = System.nanoTime();
    String[] common = {"--data", data.toString(), "--seed", Long.toString(seed), "--device",
        device};
    for (String target : new String[] {"noddi", "dwi"}) {
      boolean maps = target.equals("noddi");
      Path dir = out.resolve("vqgan-" + target);
      int n = maps ? stepsVqgan : stepsDwi;
      int total = n + (maps ? finetuneVqgan : 0);
      step(o, maps ? 1 : 2, "VQ-GAN of the " + (maps ? "high-res NODDI maps"
          : "DMRI shell features"));
      String[] part = args(common, "train-vqgan", "--target", target, "--out", dir.toString(),
          "--width", Integer.toString(maps ? widthVqgan : widthDwi), "--crop",
          Integer.toString(maps ? crop : cropDwi), "--batch", "2", "--down-factor",
          Integer.toString(downFactor), "--latent-dim", Integer.toString(latentDim),
          "--codebook", Integer.toString(codebook), "--code-groups",
          Integer.toString(codeGroups), "--disc-start", "100000", "--checkpoint-every",
          Integer.toString(Math.max(1, total / 4)), "--validate-every",
          Integer.toString(maps ? Math.max(1, total / 4) : 0));
      phases(dir, part, n, lr, total);
    }
    Path ldm = out.resolve("ldm");
    step(o, 3, "latent diffusion model");
    int totalLdm = stepsLdm + finetuneLdm;
    String[] part = args(common, "train-ldm", "--vqgan-noddi",
        out.resolve("vqgan-noddi").toString(), "--vqgan-dwi", out.resolve("vqgan-dwi")
            .toString(), "--out", ldm.toString(), "--width", Integer.toString(widthLdm),
        "--crop", Integer.toString(latentCrop), "--batch", Integer.toString(batchLdm), "--ema",
        Double.toString(ema), "--prediction", prediction, "--checkpoint-every",
        Integer.toString(Math.max(1, totalLdm / 4)), "--validate-every", "0",
        "--validate-steps", Integer.toString(validateSteps));
    phases(ldm, part, stepsLdm, lrLdm, totalLdm);
    JsonObject prov = new JsonObject();
    prov.addProperty("command", String.join(" ", spec.commandLine().getParseResult()
        .originalArgs()));
    prov.addProperty("dataset", data.toAbsolutePath().toString());
    prov.addProperty("date", Instant.now().toString());
    prov.addProperty("seconds", (System.nanoTime() - start) / 1e9);
    // what scans the model accepts, at a glance (read from the DMRI VQ-GAN it was trained with)
    Path dwiPart = out.resolve("vqgan-dwi");
    DwiCondition.readFrom(Checkpoints.readJson(dwiPart).getAsJsonObject("data"), dwiPart)
        .writeTo(prov);
    ModelBundle.write(out, false, prov);
    o.printf("%nwrote %s: predict with noddi predict --model %s --dwi ... --bval ... --bvec ..."
        + " --out PREFIX%n", out.resolve(ModelBundle.MODEL_JSON), out);
    o.flush();
    return 0;
  }

  /**
   * Runs one part: {@code steps} steps at {@code rate}, then, if {@code total} is larger, a
   * resumed run to {@code total} steps at {@code --finetune-lr}.
   */
  private void phases(Path dir, String[] part, int steps, double rate, int total) {
    run(resumeIf(dir, args(new String[] {"--steps", Integer.toString(steps), "--lr",
        Double.toString(rate)}, part)));
    if (total > steps) {
      run(args(new String[] {"--steps", Integer.toString(total), "--lr",
          Double.toString(finetuneLr), "--resume"}, part));
    }
  }

  private String[] resumeIf(Path dir, String[] args) {
    if (resume && Files.exists(dir.resolve("model.json"))) {
      String[] a = java.util.Arrays.copyOf(args, args.length + 1);
      a[args.length] = "--resume";
      return a;
    }
    return args;
  }

  private static String[] args(String[] common, String... own) {
    List<String> a = new ArrayList<>(List.of(own));
    a.addAll(List.of(common));
    return a.toArray(String[]::new);
  }

  private static void step(PrintWriter o, int k, String what) {
    Subcommands.header(o, k, 3, what);
  }

  private void run(String... args) {
    int code = Subcommands.run(spec, args);
    if (code != 0) {
      throw new BadArgumentException("train: the step " + args[0] + " " + args[1] + " "
          + args[2] + " failed (exit " + code + "); its error is above");
    }
  }
}
