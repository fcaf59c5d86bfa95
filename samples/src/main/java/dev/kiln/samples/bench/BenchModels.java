package dev.kiln.samples.bench;

import dev.kiln.dsl.Model;
import dev.kiln.samples.FashionMnistDemo;
import dev.kiln.samples.models.RowLstmClassifier;
import dev.kiln.samples.models.ResNet;

/**
 * The models {@link TrainBenchmark} measures, by the names {@code bench_torch.py} knows them by, with the
 * shape of one example: {@code mlp} [784], {@code lenet} [1, 28, 28], {@code resnet} (the small {@link ResNet},
 * [1, 28, 28]) and {@code lstm} ({@link RowLstmClassifier}, 28 rows of 28 pixels, [28, 28]). Every one reads
 * input {@code image} and outputs {@code logits} [batch, 10].
 */
public final class BenchModels {
  private BenchModels() {}

  /** Every benchmark model, in the order {@code kiln bench} runs them. */
  public static final java.util.List<String> NAMES = java.util.List.of("mlp", "lenet", "resnet", "lstm");

  /** The Kiln model called {@code name}, initialised from {@code seed}. */
  public static Model model(String name, long seed) {
    return switch (name) {
      case "resnet" -> ResNet.build(seed);
      case "lstm" -> RowLstmClassifier.build(seed);
      default -> FashionMnistDemo.model(name, seed);
    };
  }

  /** The shape of one example's features (without the batch axis). */
  public static long[] exampleShape(String name) {
    return switch (name) {
      case "mlp" -> new long[] {784};
      case "lstm" -> new long[] {28, 28};
      default -> new long[] {1, 28, 28};
    };
  }
}
