package org.noddildm.model.data;

import java.io.IOException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Volume;

/**
 * One subject of a paired dataset, read when it is needed, so that a split of many subjects
 * holds names rather than volumes.
 *
 * @param dataset the dataset, which knows the layout
 * @param name the subject's folder name, e.g. sub-0001
 */
public record DatasetSubject(PairedDataset dataset, String name) {
  /** Its high-res NODDI maps (NDI, ODI, FWF), normalised by {@link Normalisation#NODDI}. */
  public Volume noddi() throws IOException {
    return Normalisation.NODDI.noddi(dataset.maps(name));
  }

  /** Its low-res scan as the network's input ({@link DwiCondition#features}). */
  public Volume features(DwiCondition condition) throws IOException {
    return condition.features(dataset.lowResDwi(name), dataset.table(name));
  }

  @Override
  public String toString() {
    return dataset.dir().resolve(name).toString();
  }
}
