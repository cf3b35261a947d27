package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.volume.Affine;

/**
 * Fuzz tests of the NIfTI reader: any bytes either read as an image or are refused with a typed
 * error ({@link BadFileException}, {@link BadArgumentException}); anything else (another
 * exception, an out-of-memory, a hang) is a finding.
 *
 * <p>In a normal build Jazzer runs each file of {@code NiftiFuzzTestInputs/<method>/} under
 * src/test/resources once (regression mode). {@code JAZZER_FUZZ=1} fuzzes one method for new
 * inputs and writes each crash into that folder; docs/reliability.md has the command.
 */
class NiftiFuzzTest {

  /** Raw bytes as a file: NIfTI-1 or -2, either byte order, plain or gzipped by content. */
  @FuzzTest(maxDuration = "10m")
  void readsAnyBytesOrRefusesThem(byte[] data) throws IOException {
    readLikeInfo(FuzzFiles.write("raw.nii", data));
  }

  /**
   * The bytes gzipped before they are written, so that the fuzzer mutates the image inside a
   * valid gzip stream and reaches the streaming reader past the gzip header.
   */
  @FuzzTest(maxDuration = "10m")
  void readsGzippedBytesOrRefusesThem(byte[] data) throws IOException {
    readLikeInfo(FuzzFiles.write("gzipped.nii.gz", FuzzFiles.gzip(data)));
  }

  /** gzip is recognised by the magic bytes 1f 8b alone, whatever the name says. */
  @FuzzTest(maxDuration = "10m")
  void detectsGzipByItsMagicBytes(byte[] data) throws IOException {
    Path f = FuzzFiles.write("magic.nii", data);
    boolean magic = data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
    assertEquals(magic, NiftiReader.isGzip(f));
    try (NiftiReader r = NiftiReader.open(f)) {
      assertEquals(magic, r.isGzipped());
    } catch (BadFileException | BadArgumentException e) {
      // refused in one typed line: fine
    }
  }

  /** What {@code noddi info} does with a file: header, affine, and every volume streamed. */
  private static void readLikeInfo(Path f) throws IOException {
    try (NiftiReader r = NiftiReader.open(f)) {
      NiftiHeader h = r.header();
      Affine a = r.grid().affine();
      a.voxelSizes();
      a.axisCodes();
      a.determinant();
      a.toString();
      h.spatialUnits();
      h.timeUnits();
      h.hasScaling();
      h.qformAffine();
      long[] values = {0};
      r.forEachVolume((t, v) -> values[0] += v.data().length);
      assertEquals(h.voxelCount(), values[0]);
      if (h.voxelCount() <= 1 << 16) {
        assertEquals(h.voxelCount(), r.readAll().data().length);
        r.readVolume(r.volumeCount() - 1); // the last volume alone: a seek past the others
        r.readSlab(r.grid().nz() - 1, r.grid().nz());
      }
    } catch (BadFileException | BadArgumentException e) {
      // refused in one typed line: fine
    }
  }
}
