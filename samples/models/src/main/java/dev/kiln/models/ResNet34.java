package dev.kiln.models;

import dev.kiln.dsl.Model;

/**
 * torchvision's ResNet-34 ({@code torchvision.models.resnet34}: basic blocks, 3-4-6-3 per stage) with torchvision's
 * parameter names; see {@link TorchvisionResNet}. Input {@code image}, output {@code logits}.
 */
public final class ResNet34 {
  private ResNet34() {}

  /** The ImageNet-shaped model: 3 x 224 x 224 inputs, 1000 classes, parameters initialised from {@code seed}. */
  public static Model build(long seed) { return build(seed, 3, 224, 1000); }

  /** A ResNet-34 for {@code channels} x {@code size} x {@code size} images and {@code classes} classes. */
  public static Model build(long seed, long channels, long size, long classes) {
    return TorchvisionResNet.build(34, seed, channels, size, classes);
  }
}
