package dev.kiln.stories;

import dev.kiln.runtime.data.Augment;
import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Dataset;
import java.util.Map;
import java.util.SplittableRandom;

/** Data helpers the stories share. */
final class StoryData {
  private StoryData() {}

  /**
   * {@code d} with a deterministic transform (resize, grey to RGB, normalise) applied once, up front: the trainer checks
   * a dataset's shape against the model's input before its per-batch {@link Dataset#map} transforms run, and a
   * transform that every epoch would repeat is cheaper done once. The result's one input is named {@code input}.
   */
  static Dataset once(Dataset d, Augment transform, String input) {
    Batch b = transform.apply(new Batch(d.features(), d.labels()), new SplittableRandom(0));
    return Dataset.of(Map.of(input, b.features()), b.labels());
  }
}
