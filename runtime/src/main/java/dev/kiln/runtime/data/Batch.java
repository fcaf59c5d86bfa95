package dev.kiln.runtime.data;

import dev.kiln.spec.HostTensor;

/** One mini-batch: features and labels with the batch as axis 0. */
public record Batch(HostTensor features, HostTensor labels) {
  public int size() { return (int) features.shape()[0]; }
}
