package dev.kiln.interop.torch;

import dev.kiln.spec.DType;

/**
 * A storage named by a pickle's persistent id {@code ('storage', type, key, location, numel)}: the
 * archive record {@code data/<key>} holding {@code numel} elements of {@code dtype}. Its bytes are read
 * once, after the archive has checked that the record exists and is long enough.
 */
record StorageRef(String key, DType dtype, long numel, byte[] bytes) {}
