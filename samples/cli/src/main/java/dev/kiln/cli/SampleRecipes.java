package dev.kiln.cli;

import dev.kiln.samples.DenoiseDemo;
import dev.kiln.samples.ResNetDemo;
import dev.kiln.samples.course.CourseRecipes;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The samples {@code kiln train} trains with a recipe of their own rather than the generic classifier one:
 * {@code resnet} ({@link ResNetDemo}: cosine-annealed Adam) and {@code unet} ({@link DenoiseDemo}: denoising
 * with an MSE loss, so not a classifier at all), and the course recipes ({@link CourseRecipes}: kfold, imbalance,
 * augment, lbfgs).
 */
final class SampleRecipes {
  private SampleRecipes() {}

  /** Whether {@code sample} has its own recipe. */
  static boolean has(String sample) { return sample.equals("resnet") || sample.equals("unet") || CourseRecipes.has(sample); }

  /** Runs {@code sample}'s recipe; null {@code epochs} or limits keep the recipe's own. */
  static void run(String sample, Integer epochs, Path data, Path onnx, long seed, Integer trainLimit, Integer testLimit,
      PrintWriter out) throws Exception {
    if (CourseRecipes.has(sample)) {
      CourseRecipes.run(sample, epochs, data, onnx, seed, trainLimit, testLimit, out);
      return;
    }
    int train = trainLimit == null ? 0 : trainLimit;
    int test = testLimit == null ? 0 : testLimit;
    if (sample.equals("resnet")) {
      ResNetDemo.Options d = ResNetDemo.Options.defaults(data, onnx);
      ResNetDemo.run(new ResNetDemo.Options(epochs == null ? d.epochs() : epochs, data, onnx, seed, train, test,
          d.widths(), d.blocks(), d.cropPadding(), d.flip(), true), out);
    } else {
      DenoiseDemo.Options d = DenoiseDemo.Options.defaults(data, onnx);
      DenoiseDemo.run(new DenoiseDemo.Options(epochs == null ? d.epochs() : epochs, data, onnx, seed, train, test,
          d.width(), true), out);
    }
  }
}
