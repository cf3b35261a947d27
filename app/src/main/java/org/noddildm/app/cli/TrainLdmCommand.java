package org.noddildm.app.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
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
import org.noddildm.core.BadFileException;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.Ssim;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.data.DatasetSubject;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.data.HeldOutSplit;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.NoiseSchedule;
import org.noddildm.model.diffusion.Prediction;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.ldm.LatentDataset;
import org.noddildm.model.ldm.LdmCheckpoints;
import org.noddildm.model.ldm.LdmConfig;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.ldm.LdmTrainer;
import org.noddildm.model.train.Checkpoints;
import org.noddildm.model.unet.UnetConfig;
import org.noddildm.model.vqgan.Vqgan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noddi dev train-ldm}: trains the conditional latent diffusion model on latent pairs. */
@Command(name = "train-ldm", mixinStandardHelpOptions = true,
    description = {"Train the conditional latent diffusion model: each subject's high-res NODDI"
        + " maps and low-res DMRI are encoded by their trained VQ-GANs (noddi train-vqgan"
        + " --target noddi / dwi); the U-Net learns to denoise the NODDI latent given the DMRI"
        + " latent.",
        "Writes MODEL_DIR/model.json and the latest checkpoint; --resume continues exactly."})
public final class TrainLdmCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "Paired dataset (sub-0001/, sub-0002/, ... as written by noddi simulate).")
  Path data;

  @Option(names = "--vqgan-noddi", required = true, paramLabel = "MODEL_DIR",
      description = "VQ-GAN trained with --target noddi.")
  Path vqganNoddi;

  @Option(names = "--vqgan-dwi", required = true, paramLabel = "MODEL_DIR",
      description = "VQ-GAN trained with --target dwi.")
  Path vqganDwi;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
      description = "Model directory to write (model.json + checkpoint).")
  Path out;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "10000",
      description = "Total training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "4",
      description = "Latent crops per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--crop", paramLabel = "VOXELS", defaultValue = "8",
      description = "Side of the cubic latent crops, even (default: ${DEFAULT-VALUE}).")
  int crop;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "2e-4",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--ema", paramLabel = "DECAY", defaultValue = "0.999",
      description = "Decay of the weight average used for sampling (default: ${DEFAULT-VALUE}).")
  double ema;

  @Option(names = "--width", paramLabel = "N", defaultValue = "32",
      description = "U-Net base width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--schedule", paramLabel = "linear|cosine", defaultValue = "linear",
      description = "Noise schedule, T = 1000 (default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(names = "--prediction", paramLabel = "eps|v", defaultValue = "eps",
      description = "What the U-Net predicts (default: ${DEFAULT-VALUE}).")
  String prediction;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of weights, crops, steps and noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "500",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--validate-every", paramLabel = "N", defaultValue = "1000",
      description = "Steps between validations (one DDIM sample per held-out subject, decoded,"
          + " PSNR/SSIM against its NODDI maps); 0: only at the end (default: ${DEFAULT-VALUE}).")
  int validateEvery;

  @Option(names = "--validate-steps", paramLabel = "N", defaultValue = "25",
      description = "DDIM steps of the validation samples (default: ${DEFAULT-VALUE}).")
  int validateSteps;

  @Option(names = "--resume", description = "Continue the run in MODEL_DIR from its last"
      + " checkpoint (its config wins over the shape options given here; --lr, when given,"
      + " changes the learning rate from then on).")
  boolean resume;

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    BadArgumentException.require(validateEvery >= 0, "--validate-every: expected >= 0, found "
        + validateEvery);
    BadArgumentException.require(validateSteps >= 1 && validateSteps <= 1000,
        "--validate-steps: expected 1..1000, found " + validateSteps);
    HeldOutSplit<DatasetSubject> split = HeldOutSplit.lastTenth(data, DatasetSubject::new);
    Device dev = Engines.device(deviceOption.get());
    boolean exists = Files.exists(out.resolve(LdmCheckpoints.MODEL_JSON));
    JsonObject meta = null;
    if (resume) {
      BadArgumentException.require(exists, "--resume: expected " + out.resolve(
          LdmCheckpoints.MODEL_JSON) + " from an earlier run, found none");
      meta = LdmCheckpoints.readJson(out).getAsJsonObject("data");
    } else {
      BadArgumentException.require(!exists, "--out: " + out + " already holds a model; use"
          + " --resume to continue it or choose another directory");
    }
    try (NDManager m = Engines.newManager(dev)) {
      Vqgan noddi = Checkpoints.loadGenerator(requireTarget(vqganNoddi, "noddi"), m);
      Vqgan dwi = Checkpoints.loadGenerator(requireTarget(vqganDwi, "dwi"), m);
      DwiCondition condition = DwiCondition.readFrom(Checkpoints.readJson(vqganDwi)
          .getAsJsonObject("data"), vqganDwi);
      pw.printf(Locale.ROOT, "train-ldm: encoding %d subjects with both VQ-GANs%n",
          split.train().size());
      pw.flush();
      double ls = meta == null ? 0 : meta.get("latentScale").getAsDouble();
      double cs = meta == null ? 0 : meta.get("condScale").getAsDouble();
      LatentDataset latents = LatentDataset.encode(split.train(), noddi, dwi, condition, m,
          ls, cs);
      if (meta == null) {
        meta = new JsonObject();
        meta.addProperty("vqganNoddi", vqganNoddi.toAbsolutePath().toString());
        meta.addProperty("vqganDwi", vqganDwi.toAbsolutePath().toString());
        meta.addProperty("latentScale", latents.latentScale());
        meta.addProperty("condScale", latents.condScale());
        condition.writeTo(meta);
        meta.add("datasets", split.datasets());
      }
      var first = latents.pairs().get(0);
      for (var pair : latents.pairs()) {
        int min = Math.min(pair.d(), Math.min(pair.h(), pair.w()));
        BadArgumentException.require(crop <= min || resume, "--crop: expected at most the"
            + " smallest latent size " + min + " (" + pair.w() + " x " + pair.h() + " x "
            + pair.d() + "), found " + crop);
      }
      LdmTrainer trainer;
      if (resume) {
        trainer = LdmCheckpoints.resume(out, dev);
        if (spec.commandLine().getParseResult().hasMatchedOption("--lr")
            && lr != trainer.trainConfig().lr()) {
          pw.printf(Locale.ROOT, "resume: learning rate %s -> %s from step %d%n",
              trainer.trainConfig().lr(), lr, trainer.step());
          trainer.setLearningRate(lr);
        }
      } else {
        UnetConfig u = new UnetConfig(first.channels(), first.condChannels(), width,
            new int[] {1, 2}, 1, true, 8, 32, seed);
        trainer = new LdmTrainer(new LdmConfig(u, NoiseSchedule.Kind.parse(schedule),
            NoiseSchedule.DEFAULT_STEPS, Prediction.parse(prediction)),
            new LdmTrainConfig(steps, batch, crop, lr, ema, checkpointEvery), dev);
      }
      try (LdmTrainer tr = trainer) {
        int held = split.validation().size();
        pw.printf(Locale.ROOT, "train-ldm: %d subjects (%d held out%s), latent %d x %d x %d,"
            + " %d + %d channels, %s, %s%n", split.train().size(), held, held == 0
            ? ": validating on the training subject" : "", first.w(), first.h(), first.d(),
            first.channels(), first.condChannels(), Engines.describe(), dev);
        pw.flush();
        JsonObject runMeta = meta;
        double avg;
        try (Progress p = new Progress("train-ldm", Math.max(0, steps - tr.step()), "step")) {
          avg = tr.run(latents.pairs(), steps, validateEvery, new LdmTrainer.Validator() {
            @Override
            public JsonObject validate(LdmTrainer t) throws java.io.IOException {
              return TrainLdmCommand.this.validate(t, noddi, dwi, condition,
                  split.validationOrTrain(), runMeta, m);
            }

            @Override
            public String describe(JsonObject v) {
              return String.format(Locale.ROOT, "PSNR %.2f dB, SSIM %.4f (DDIM %d steps, one"
                  + " sample, data range 1)", v.get("psnr").getAsDouble(),
                  v.get("ssim").getAsDouble(), validateSteps);
            }
          }, out, meta, TrainingLog.of(p, pw));
        }
        pw.printf(Locale.ROOT, "wrote %s (step %d, smoothed loss %.4f)%n",
            out.resolve(LdmCheckpoints.MODEL_JSON), tr.step(), avg);
      }
    }
    return 0;
  }

  /** One decoded DDIM sample per held-out subject: mean PSNR and SSIM (range 1) of the maps. */
  private JsonObject validate(LdmTrainer tr, Vqgan noddi, Vqgan dwi, DwiCondition condition,
      List<DatasetSubject> subs, JsonObject meta, NDManager m) throws java.io.IOException {
    ConditionalGenerator gen = new ConditionalGenerator(noddi, dwi, tr.emaNet(),
        meta.get("latentScale").getAsDouble(), meta.get("condScale").getAsDouble(), m);
    double psnr = 0;
    double ssim = 0;
    for (DatasetSubject s : subs) {
      Volume truth = s.noddi();
      Volume scan = s.features(condition);
      ConditionalGenerator.Maps maps = gen.generate(scan, truth.grid(),
          new DdimSampler(tr.diffusion(), validateSteps, 0.0), 1, seed, null, m);
      Volume mean = new Volume(truth.grid(), truth.nt(), maps.mean().data());
      psnr += ErrorMetrics.psnr(truth, mean, 1.0);
      ssim += Ssim.multiChannel(truth, mean, 1.0, SsimOptions.defaults());
    }
    JsonObject v = new JsonObject();
    v.addProperty("step", tr.step());
    v.addProperty("psnr", psnr / subs.size());
    v.addProperty("ssim", ssim / subs.size());
    v.addProperty("ddimSteps", validateSteps);
    return v;
  }

  /** The VQ-GAN directory, after checking that it was trained on {@code target}. */
  private static Path requireTarget(Path dir, String target) throws java.io.IOException {
    JsonObject json = Checkpoints.readJson(dir);
    JsonObject d = json.getAsJsonObject("data");
    String was = d != null && d.has("target") ? d.get("target").getAsString() : "?";
    if (!was.equals(target)) {
      throw new BadFileException(dir, "expected a VQ-GAN trained with --target " + target
          + ", found --target " + was);
    }
    return dir;
  }
}
