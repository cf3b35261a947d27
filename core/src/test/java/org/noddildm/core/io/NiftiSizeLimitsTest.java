package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.testing.TestVolumes;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * Headers that claim more than a file can hold, each found by {@link NiftiFuzzTest} (its seed
 * corpus keeps the inputs): refused in one line before anything is allocated or read.
 */
class NiftiSizeLimitsTest {
  @TempDir Path dir;

  private byte[] valid(int version) throws Exception {
    Volume v = TestVolumes.random(Grid.of(3, 2, 2, 1), 2, NiftiDataType.FLOAT32, 3);
    Path f = dir.resolve("valid.nii");
    NiftiWriter.write(f, v, NiftiWriter.Options.defaults().withVersion(version));
    byte[] b = Files.readAllBytes(f);
    Files.delete(f);
    return b;
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  private BadFileException readFails(byte[] content, String name) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, content);
    BadFileException e = assertThrows(BadFileException.class, () -> NiftiReader.read(f));
    assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  @Test
  void tinyGzipClaimingAHugeImageIsRefusedBeforeAllocating() throws Exception {
    byte[] b = valid(1);
    ByteBuffer bb = le(b);
    for (int d = 1; d <= 3; d++) {
      bb.putShort(40 + 2 * d, (short) 1290);
    }
    bb.putShort(48, (short) 1); // dim[4]
    byte[] gz = FuzzFiles.gzip(java.util.Arrays.copyOf(b, 352));
    BadFileException e = readFails(gz, "huge.nii.gz"); // was OutOfMemoryError
    assertTrue(e.getMessage().contains("1290 x 1290 x 1290 x 1 float32")
        && e.getMessage().contains("a gzip file of " + gz.length + " bytes unpacks to at most"),
        e.getMessage());
  }

  @Test
  void gzipWhoseHeaderFitsTheBoundIsStillRead() throws Exception {
    byte[] gz = FuzzFiles.gzip(valid(2));
    Path f = dir.resolve("ok.nii.gz");
    Files.write(f, gz);
    assertTrue(NiftiReader.read(f).volume().nt() == 2);
  }

  @Test
  void infiniteOrNanVoxOffsetIsNamed() throws Exception {
    byte[] b = valid(1);
    le(b).putFloat(108, Float.POSITIVE_INFINITY); // was "IOException: Invalid argument"
    assertTrue(readFails(b, "inf.nii").getMessage()
        .contains("expected a finite vox_offset (the byte where the image data starts), found"
            + " Infinity"));
    le(b).putFloat(108, Float.NaN); // was "expected vox_offset >= 348, found 0"
    assertTrue(readFails(b, "nan.nii").getMessage().contains("found NaN"));
  }

  @Test
  void nifti2VoxOffsetThatOverflowsIsRefused() throws Exception {
    byte[] b = valid(2);
    le(b).putLong(168, Long.MAX_VALUE - 10); // was "IOException: Invalid argument"
    BadFileException e = readFails(b, "offset.nii");
    assertTrue(e.getMessage().contains("plausible vox_offset")
        && e.getMessage().contains(String.valueOf(Long.MAX_VALUE - 10)), e.getMessage());
  }

  @Test
  void moreThanTwoToThe31VolumesIsRefusedNotReadAsZero() throws Exception {
    byte[] b = valid(2);
    le(b).putLong(16 + 8 * 4, 1L << 33); // dim[4]; gzipped, this read as 0 volumes
    BadFileException e = readFails(FuzzFiles.gzip(b), "volumes.nii.gz");
    assertTrue(e.getMessage().contains("expected at most 2^31 - 1 volumes, found 8589934592"),
        e.getMessage());
  }

  @Test
  void nonFiniteSformIsABadFileThatNamesIt() throws Exception {
    byte[] b = valid(1);
    le(b).putFloat(280, Float.NaN); // srow_x[0]; the sform code is set
    assertTrue(readFails(b, "sform.nii").getMessage().contains("affine: expected finite"));
  }

  @Test
  void anArrayLargerThanTheHeapGivesTheXmxHint() {
    long n = Runtime.getRuntime().maxMemory() / 4 + 1024;
    Path f = dir.resolve("big.nii");
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> NiftiLimits.floats(f, n, "an image"));
    assertTrue(e.getMessage().startsWith(f + ": reading an image needs ")
        && e.getMessage().contains("MiB of Java heap") && e.getMessage().contains(
            "JAVA_OPTS=-Xmx"), e.getMessage());
  }
}
