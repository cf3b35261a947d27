package org.noddildm.model.residual;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.model.data.HeldOutSplit;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.NoiseSchedule;
import org.noddildm.model.diffusion.Prediction;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.ldm.LatentPair;
import org.noddildm.model.ldm.LdmCheckpoints;
import org.noddildm.model.ldm.LdmConfig;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.ldm.LdmTrainer;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.train.TrainingListener;
import org.noddildm.model.unet.UnetConfig;

/**
 * A training run of the diffusion model built on the refiner: its data (the encoded residual
 * latents) and its validation on held-out subjects (one DDIM sample each, PSNR in the brain
 * against the refiner's); the loop and checkpoint cadence are {@link LdmTrainer#run}'s.
 * {@code meta} is the run's "data" entry of model.json: it must hold the latent scales, and it
 * collects the validations.
 *
 * @param latents the encoded training pairs
 * @param heldOut the validation subjects
 * @param coder the latent the residuals live in
 * @param validateEvery steps between validations (0: only at the last step)
 * @param validateSteps DDIM steps of the validation samples
 * @param seed seed of the validation samples
 */
public record ResidualLdmRun(ResidualLatents latents, List<ResidualExample> heldOut,
    LatentCoder coder,
    int validateEvery, int validateSteps, long seed) {

  /** The examples of a run, split, the training latents and the run's "data" entry. */
  public record Prepared(HeldOutSplit<ResidualExample> split, ResidualLatents latents,
      JsonObject meta) {}

  /**
   * Refines every subject of {@code data} with {@code refiner} and encodes the training
   * subjects' latents with {@code coder} ({@code vqganDir} its folder, null for the sub-voxel
   * latent); {@code resumed} is the "data" entry of the run being
   * resumed (its latent scales are kept) or null for a new run, whose entry is made here.
   *
   * @param multiple the U-Net's size multiple, which the latents are padded to
   * @param classic for a new run, whether the condition holds the classic features ({@link
   *     ResidualDiffusion#CONDITION_CLASSIC}); a resumed run keeps its own
   */
  public static Prepared prepare(List<Path> data, int holdOut, Refiner refiner, Path refinerDir,
      LatentCoder coder, Path vqganDir, JsonObject resumed, int multiple, boolean classic,
      NDManager m) throws IOException {
    boolean withFeatures = resumed == null ? classic : classic(resumed);
    HeldOutSplit<ResidualExample> split = HeldOutSplit.of(data, holdOut,
        refiner.config().factor(), "the refiner's factor",
        (d, sub) -> ResidualExample.of(RefinerExample.of(d, sub), refiner));
    ResidualLatents latents = ResidualLatents.encode(split.train(), coder, multiple, m,
        resumed == null ? null : ResidualLatents.scales(resumed),
        resumed == null ? 0 : resumed.get("condScale").getAsDouble(), withFeatures,
        resumed == null ? ResidualExample.Target.BRAIN : ResidualExample.Target.of(resumed));
    JsonObject meta = resumed;
    if (meta == null) {
      meta = new JsonObject();
      meta.addProperty("condition", withFeatures ? ResidualDiffusion.CONDITION_CLASSIC
          : ResidualDiffusion.CONDITION);
      meta.addProperty("latent", coder.kind());
      if (vqganDir != null) {
        meta.addProperty("vqganNoddi", vqganDir.toAbsolutePath().toString());
      }
      meta.addProperty("refiner", refinerDir.toAbsolutePath().toString());
      meta.addProperty("target", ResidualExample.Target.BRAIN.meaning());
      ResidualLatents.putScales(meta, latents.latentScales());
      meta.addProperty("condScale", latents.condScale());
      meta.addProperty("factor", refiner.config().factor());
      meta.add("datasets", split.datasets());
      meta.add("validation", new JsonArray());
    }
    return new Prepared(split, latents, meta);
  }

  /**
   * A run set up to train, new or resumed: its trainer, the run (latents, validation) and the
   * "data" entry to save with its checkpoints. Closing it closes the trainer.
   */
  public record Session(LdmTrainer trainer, ResidualLdmRun run, JsonObject meta,
      Prepared prepared) implements AutoCloseable {
    @Override
    public void close() {
      trainer.close();
    }
  }

  /**
   * Sets up the training of a diffusion model on {@code refiner} (its folder
   * {@code refinerDir}) in the latent of {@code coder} (from {@code vqganDir}, or null for the
   * sub-voxel latent) into {@code dir}: the run there is resumed (its config, condition and
   * scales win) when {@code resume}, else a new one starts with {@code unet}, {@code train} and
   * the {@code classic} condition, its weights (and EMA) taken from the diffusion model in
   * {@code initFrom} when that is not null (a warm start: the U-Net must be the same, the
   * optimizer starts afresh). What {@code noddi train-residual-ldm} runs alone and
   * {@link org.noddildm.model.pipeline.TrainPipeline} as its third part.
   */
  public static Session open(List<Path> data, int holdOut, Refiner refiner, Path refinerDir,
      LatentCoder coder, Path vqganDir, boolean classic, UnetConfig unet, LdmTrainConfig train,
      int validateEvery, int validateSteps, long seed, Path dir, boolean resume, Path initFrom,
      Device device, NDManager m) throws IOException {
    BadArgumentException.require(!(resume && initFrom != null), "--init-from: expected a new"
        + " run, found --resume (a resumed run keeps its own weights)");
    JsonObject resumed = resume ? LdmCheckpoints.readJson(dir).getAsJsonObject("data") : null;
    int multiple = resume ? LdmCheckpoints.config(dir).unet().sizeMultiple()
        : unet.sizeMultiple();
    Prepared prep = prepare(data, holdOut, refiner, refinerDir, coder, vqganDir, resumed,
        multiple, classic, m);
    int min = smallestSide(prep.latents());
    BadArgumentException.require(resume || train.crop() <= min, "diffusion training crop:"
        + " expected at most the smallest latent side " + min + ", found " + train.crop());
    LdmTrainer trainer = resume ? LdmCheckpoints.resume(dir, device)
        : new LdmTrainer(ldmConfig(unet, prep.latents()), train, device);
    try {
      BadArgumentException.require(trainer.trainConfig().crop() <= min, "diffusion training"
          + " crop: expected at most the smallest latent side " + min + ", found "
          + trainer.trainConfig().crop());
      if (initFrom != null) {
        JsonObject init = new JsonObject();
        init.addProperty("model", initFrom.toAbsolutePath().toString());
        init.addProperty("step", LdmCheckpoints.warmStart(trainer, initFrom));
        prep.meta().add("initFrom", init);
      }
    } catch (IOException | RuntimeException e) {
      trainer.close();
      throw e;
    }
    return new Session(trainer, new ResidualLdmRun(prep.latents(), prep.split().validation(),
        coder, validateEvery, validateSteps, seed), prep.meta(), prep);
  }

  /** Whether the run's "data" entry {@code meta} names the condition with classic features. */
  static boolean classic(JsonObject meta) {
    return Boolean.TRUE.equals(ResidualDiffusion.classicCondition(
        meta.get("condition").getAsString()));
  }

  /**
   * Whether the run whose "data" entry is {@code meta} works in the sub-voxel latent (else in
   * the NODDI VQ-GAN's; a run from before the choice existed is a VQ-GAN's).
   */
  public static boolean subVoxel(JsonObject meta) {
    return meta.has("latent") && LatentCoder.SUBVOXEL.equals(meta.get("latent").getAsString());
  }

  /** The smallest side of the training latents, which bounds the crop. */
  public static int smallestSide(ResidualLatents latents) {
    int min = Integer.MAX_VALUE;
    for (var pair : latents.pairs()) {
      min = Math.min(min, Math.min(pair.d(), Math.min(pair.h(), pair.w())));
    }
    return min;
  }

  /**
   * The diffusion model of the residuals around {@code unet}: DDPM's linear schedule over
   * T = 1000 steps and v-prediction, the U-Net's channels set from the latents.
   */
  public static LdmConfig ldmConfig(UnetConfig unet, ResidualLatents latents) {
    LatentPair first = latents.pairs().get(0);
    return new LdmConfig(unet.withChannels(first.channels(), first.condChannels()),
        NoiseSchedule.Kind.LINEAR, NoiseSchedule.DEFAULT_STEPS, Prediction.V);
  }

  /**
   * Trains {@code tr} until step {@code until} ({@link LdmTrainer#run}), validating on the
   * held-out subjects and checkpointing into {@code out}; returns the smoothed loss at the end
   * (NaN if no step was taken).
   */
  public double run(LdmTrainer tr, long until, Path out, JsonObject meta, NDManager m,
      TrainingListener listener) throws IOException {
    return tr.run(latents.pairs(), until, validateEvery, new LdmTrainer.Validator() {
      @Override
      public JsonObject validate(LdmTrainer t) {
        return ResidualLdmRun.this.validate(t, meta, m);
      }

      @Override
      public String describe(JsonObject v) {
        return String.format(java.util.Locale.ROOT, "PSNR in the brain %.2f dB against the"
            + " refiner's %.2f (DDIM %d steps, one sample)", v.get("psnr").getAsDouble(),
            v.get("refinerPsnr").getAsDouble(), v.get("ddimSteps").getAsInt());
      }
    }, out, meta, listener);
  }

  /** One sample per held-out subject: mean PSNR in the brain over the maps, and the refiner's. */
  JsonObject validate(LdmTrainer tr, JsonObject meta, NDManager m) {
    ResidualDiffusion gen = new ResidualDiffusion(coder, tr.emaNet(),
        ResidualLatents.scales(meta), meta.get("condScale").getAsDouble(), classic(meta), m);
    double psnr = 0;
    double base = 0;
    for (ResidualExample e : heldOut) {
      ConditionalGenerator.Maps maps = gen.generate(e.refined(), e.features(), null,
          new DdimSampler(tr.diffusion(), validateSteps, 0.0), 1, seed, ConditionalGenerator.TILE,
          ConditionalGenerator.OVERLAP, null, m);
      Mask brain = RefinerTrainer.brain(e.truth(), e.weight(), e.factor());
      psnr += mean(RefinerTrainer.psnrInBrain(e.truth(), maps.mean(), brain));
      base += mean(RefinerTrainer.psnrInBrain(e.truth(), e.refined(), brain));
    }
    JsonObject v = new JsonObject();
    v.addProperty("step", tr.step());
    v.addProperty("psnr", psnr / heldOut.size());
    v.addProperty("refinerPsnr", base / heldOut.size());
    v.addProperty("ddimSteps", validateSteps);
    return v;
  }

  private static double mean(double[] a) {
    return (a[0] + a[1] + a[2]) / 3;
  }
}
