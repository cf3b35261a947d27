package org.noddildm.core.physics.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignal;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.DwiSimulator;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.phantom.BrainPhantom;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomConfig;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

class PairedDatasetTest {
  static DatasetSpec tiny(long seed) {
    return new DatasetSpec(2, seed, 16, 16, 16, 4.0, 2, "0x2,1000x6,2000x6", null,
        new Degradation(2, false, Noise.RICIAN, 30, 0), Diffusivities.IN_VIVO);
  }

  static void make(Path dir, DatasetSpec spec) throws Exception {
    GradientTable t = DatasetSimulator.scanTable(spec);
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= spec.subjects(); k++) {
      DatasetSimulator.Subject s = DatasetSimulator.simulate(spec, k, t);
      DatasetSimulator.write(dir.resolve(s.name()), s);
      names.add(s.name());
    }
    PairedDataset.writeJson(dir, spec, names, t, "test");
  }

  @Test
  void sameSeedGivesByteIdenticalDataset(@TempDir Path tmp) throws Exception {
    make(tmp.resolve("a"), tiny(5));
    make(tmp.resolve("b"), tiny(5));
    make(tmp.resolve("c"), tiny(6));
    List<Path> files;
    try (Stream<Path> s = Files.walk(tmp.resolve("a"))) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    assertEquals(1 + 2 * 11, files.size());
    for (Path f : files) {
      Path rel = tmp.resolve("a").relativize(f);
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(tmp.resolve("b").resolve(rel)),
          rel.toString());
    }
    assertFalse(Arrays.equals(
        Files.readAllBytes(tmp.resolve("a/sub-0001/dwi_lowres.nii.gz")),
        Files.readAllBytes(tmp.resolve("c/sub-0001/dwi_lowres.nii.gz"))));
  }

  @Test
  void readerGivesPairsThatOverlay(@TempDir Path tmp) throws Exception {
    make(tmp, tiny(3));
    PairedDataset ds = PairedDataset.open(tmp);
    assertEquals(List.of("sub-0001", "sub-0002"), ds.subjects());
    assertEquals(2, ds.factor());
    for (String s : ds.subjects()) {
      Volume maps = ds.maps(s);
      Volume low = ds.lowResDwi(s);
      assertEquals(3, maps.nt());
      assertEquals(14, low.nt());
      ds.table(s).requireVolumes(low.nt());
      assertTrue(low.grid().sameAs(VolumeOps.downsampledGrid(maps.grid(), 2)));
      assertTrue(VolumeOps.upsampledGrid(low.grid(), 2).sameAs(maps.grid()));
      assertTrue(ds.lowResMask(s).count() > 0);
      assertTrue(ds.mask(s).count() > ds.lowResMask(s).count());
      assertEquals(3, ds.direction(s).nt());
      assertTrue(ds.labels(s).grid().sameAs(maps.grid()));
    }
    assertEquals(3, ds.json().get("seed").getAsLong());
  }

  @Test
  void missingFilesAreReportedByName(@TempDir Path tmp) throws Exception {
    make(tmp, tiny(3));
    Files.delete(tmp.resolve("sub-0002/dwi_lowres.bvec"));
    BadFileException e = assertThrows(BadFileException.class, () -> PairedDataset.open(tmp));
    assertTrue(e.getMessage().contains("dwi_lowres.bvec"), e.getMessage());
    assertThrows(BadFileException.class, () -> PairedDataset.open(tmp.resolve("nothing")));
  }

  @Test
  void blockBySimulationEqualsSimulatingThenDownsampling() {
    Phantom p = BrainPhantom.generate(PhantomConfig.cube(16, 4.0, 2));
    GradientTable t = Protocol.parse("0x1,1000x4,2000x4").table();
    Volume direct = DwiSimulator.simulateBlockAveraged(p, t, Diffusivities.IN_VIVO, 2);
    Volume viaHigh = VolumeOps.downsample(DwiSimulator.simulate(p, t, Diffusivities.IN_VIVO), 2);
    assertTrue(direct.grid().sameAs(viaHigh.grid()));
    float[] a = direct.data();
    float[] b = viaHigh.data();
    for (int i = 0; i < a.length; i++) {
      assertEquals(b[i], a[i], 1e-5 * Math.max(1, Math.abs(b[i])), "index " + i);
    }
  }

  @Test
  void noiselessSignalOfPhantomMatchesTheForwardModel() {
    Phantom p = BrainPhantom.generate(PhantomConfig.cube(16, 4.0, 1));
    GradientTable t = Protocol.parse("0x1,1000x5,2500x5").table();
    Volume dwi = DwiSimulator.simulate(p, t, Diffusivities.IN_VIVO);
    int checked = 0;
    for (int i = 0; i < p.grid().size(); i += 7) {
      NoddiParams q = p.params(i);
      if (q == null) {
        assertEquals(0, dwi.at(i, 3));
        continue;
      }
      double[] s = NoddiSignal.signal(q, t);
      for (int k = 0; k < t.size(); k++) {
        assertEquals(p.s0().at(i, 0) * s[k], dwi.at(i, k), 1e-3 * p.s0().at(i, 0));
      }
      checked++;
    }
    assertTrue(checked > 50);
  }
}
