package org.noddildm.core.physics.phantom;

import java.io.IOException;
import java.nio.file.Path;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Volume;

/**
 * Writes a phantom's ground truth in the paired-dataset layout: noddi.nii.gz (NDI, ODI, FWF),
 * ndi/odi/fwf.nii.gz, direction.nii.gz (3 volumes), labels.nii.gz (uint8) and mask.nii.gz
 * (uint8), all float32 unless said, every file through a temporary name.
 */
public final class PhantomFiles {
  public static final String MAPS = "noddi.nii.gz";
  public static final String NDI = "ndi.nii.gz";
  public static final String ODI = "odi.nii.gz";
  public static final String FWF = "fwf.nii.gz";
  public static final String DIRECTION = "direction.nii.gz";
  public static final String LABELS = "labels.nii.gz";
  public static final String MASK = "mask.nii.gz";

  private PhantomFiles() {}

  /** Writes the ground-truth files into {@code dir} (created if needed). */
  public static void write(Path dir, Phantom p) throws IOException {
    NiftiWriter.Options f32 = NiftiWriter.Options.defaults();
    NiftiWriter.Options u8 = f32.withType(NiftiDataType.UINT8);
    NiftiWriter.write(dir.resolve(MAPS), p.maps(), f32.withDescription("NDI ODI FWF"));
    NiftiWriter.write(dir.resolve(NDI), p.ndi(), f32.withDescription("NDI (ICVF)"));
    NiftiWriter.write(dir.resolve(ODI), p.odi(), f32.withDescription("ODI"));
    NiftiWriter.write(dir.resolve(FWF), p.fwf(), f32.withDescription("FWF (ISOVF)"));
    NiftiWriter.write(dir.resolve(DIRECTION), p.direction(),
        f32.withDescription("fibre direction x y z"));
    NiftiWriter.write(dir.resolve(LABELS), p.labels(),
        u8.withDescription("0 bg 1 CSF 2 GM 3 WM 4 deep GM"));
    Volume mask = p.mask().toVolume();
    NiftiWriter.write(dir.resolve(MASK), mask, u8.withDescription("brain mask"));
  }
}
