#!/usr/bin/env python3
"""Smooth stand-in data in the paired dataset layout, for VQ-GAN benchmarks until `noddi simulate`
(issue 3) is available: N^3 smooth NDI/ODI/FWF-like maps in a sphere (noddi.nii.gz) and a
crude low-res 15-volume DWI (3 b0, 6 x b1000, 6 x b2000) with Gaussian noise. NOT a NODDI
phantom: numbers made on it only measure the autoencoder on smooth maps.
Usage: /usr/bin/python3 docs/bench/smooth_pairs.py OUT_DIR N SUBJECTS   (seeded, deterministic)
"""
import numpy as np, nibabel as nib, os, sys
rng = np.random.default_rng(0)
out = sys.argv[1]; n = int(sys.argv[2]); subs = int(sys.argv[3])
bvals = np.array([0]*3 + [1000]*6 + [2000]*6, float)
bvecs = rng.normal(size=(3, 15)); bvecs /= np.linalg.norm(bvecs, axis=0); bvecs[:, :3] = 0
for s in range(1, subs+1):
    d = os.path.join(out, f"sub-{s:04d}"); os.makedirs(d, exist_ok=True)
    x, y, z = np.meshgrid(*[np.linspace(-1, 1, n)]*3, indexing="ij")
    r = np.sqrt(x**2 + y**2 + z**2)
    brain = (r < 0.85).astype(float)
    ph = rng.uniform(0, 6, 6)
    ndi = brain * (0.4 + 0.3*np.sin(3*x + ph[0])*np.cos(2*y + ph[1]))
    odi = brain * (0.3 + 0.2*np.cos(4*z + ph[2]))
    fwf = brain * np.clip(0.1 + 0.8*np.exp(-((r-0.2)**2)/0.01), 0, 1)
    maps = np.stack([ndi, odi, fwf], -1).astype(np.float32)
    aff = np.diag([1.25, 1.25, 1.25, 1])
    nib.save(nib.Nifti1Image(maps, aff), os.path.join(d, "noddi.nii.gz"))
    lo = maps.reshape(n//2, 2, n//2, 2, n//2, 2, 3).mean((1, 3, 5))
    b = lo[..., 0:1]*0 + 1000*(lo.sum(-1, keepdims=True) > 0)
    sig = b * np.exp(-bvals/1000 * (0.5 + lo[..., 1:2] + 2*lo[..., 2:3]))
    sig = sig + rng.normal(0, 20, sig.shape)
    nib.save(nib.Nifti1Image(sig.astype(np.float32), np.diag([2.5, 2.5, 2.5, 1])), os.path.join(d, "dwi_lowres.nii.gz"))
    np.savetxt(os.path.join(d, "dwi_lowres.bval"), bvals[None], fmt="%g")
    np.savetxt(os.path.join(d, "dwi_lowres.bvec"), bvecs, fmt="%.6f")
