#!/usr/bin/python3
"""Tri-planar picture of fitted NODDI maps beside the ground truth.

Usage: /usr/bin/python3 docs/figures/fit_triplanar.py TRUTH_DIR FIT_PREFIX OUT.png
TRUTH_DIR holds ndi/odi/fwf.nii.gz and mask.nii.gz (a phantom written by `noddi dev bench fit
--phantom-out`); FIT_PREFIX_{ndi,odi,fwf}.nii.gz are the maps written by `noddi fit`.
Images are reoriented to RAS and shown in neurological convention (left on the left).
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nibabel as nib  # noqa: E402
import numpy as np  # noqa: E402


def load(path):
    return np.asarray(nib.as_closest_canonical(nib.load(path)).get_fdata(), dtype=float)


def views(vol):
    x, y, z = (s // 2 for s in vol.shape)
    return [vol[:, :, z].T, vol[:, y, :].T, vol[x, :, :].T]


def main(truth_dir, fit_prefix, out):
    mask = load(f"{truth_dir}/mask.nii.gz") > 0
    names = ["ndi", "odi", "fwf"]
    fig, axes = plt.subplots(3, 7, figsize=(15, 6.6),
                             gridspec_kw={"width_ratios": [1, 1, 1, 0.15, 1, 1, 1]})
    for r, name in enumerate(names):
        truth = load(f"{truth_dir}/{name}.nii.gz")
        fit = load(f"{fit_prefix}_{name}.nii.gz")
        mae = np.abs(fit[mask] - truth[mask]).mean()
        panels = [("truth", v) for v in views(truth)] + [None] + [("fit", v) for v in views(fit)]
        for c, panel in enumerate(panels):
            ax = axes[r, c]
            ax.axis("off")
            if panel is None:
                continue
            title, img = panel
            ax.imshow(img, cmap="gray", vmin=0, vmax=1, origin="lower", interpolation="nearest")
            if r == 0:
                plane = ["axial", "coronal", "sagittal"][c if c < 3 else c - 4]
                ax.set_title(f"{title}: {plane}")
        axes[r, 0].text(-0.15, 0.5, f"{name.upper()}\nMAE {mae:.3f}", transform=axes[r, 0].transAxes,
                        ha="right", va="center", fontsize=11)
    fig.suptitle("noddi fit (dictionary search) on the digital phantom, NODDI protocol, SNR 30")
    fig.tight_layout()
    fig.savefig(out, dpi=80)


if __name__ == "__main__":
    main(*sys.argv[1:4])
