#!/usr/bin/env python3
"""Regenerates the .npy fixtures NpyTest reads, with real NumPy.

Run from this folder: python3 make_fixtures.py
The values are simple formulas (arange / 4 ...) that NpyTest restates by hand.
"""
import io
import numpy as np
from numpy.lib import format as npf


def save_version(name, arr, version):
    with open(name, "wb") as f:
        npf.write_array(f, arr, version=version)


np.save("f32_2x3.npy", (np.arange(6, dtype="<f4") / 4).reshape(2, 3))
np.save("f64_be.npy", np.array([-1.5, 2.25, 1e300], dtype=">f8"))
np.save("i64_scalar.npy", np.array(-7, dtype="<i8"))
np.save("i32_be_2x1x3.npy", (np.arange(6, dtype=">i4") - 3).reshape(2, 1, 3))
np.save("i16.npy", np.array([-32768, 0, 32767], dtype="<i2"))
np.save("i8.npy", np.array([-128, -1, 127], dtype="i1"))
np.save("u8.npy", np.array([0, 1, 255], dtype="u1"))
np.save("f16.npy", np.array([1.0, -2.5, 65504.0], dtype="<f2"))
np.save("bool.npy", np.array([True, False, True]))
np.save("f32_empty_0x3.npy", np.zeros((0, 3), dtype="<f4"))
# Column-major: the file's bytes are 0 3 1 4 2 5; read back in C order they are 0..5.
np.save("i32_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3)))
save_version("f32_v2.npy", np.arange(4, dtype="<f4").reshape(2, 2), (2, 0))
save_version("f32_v3.npy", np.arange(4, dtype="<f4").reshape(2, 2), (3, 0))
np.save("object.npy", np.array([1, "a"], dtype=object), allow_pickle=True)
