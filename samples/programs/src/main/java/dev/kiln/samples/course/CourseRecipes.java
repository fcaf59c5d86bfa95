package dev.kiln.samples.course;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * The course samples {@code kiln train} runs with recipes of their own: {@code kfold} ({@link CrossValidationDemo}),
 * {@code imbalance} ({@link ImbalanceDemo}), {@code augment} ({@link AugmentationDemo}) and {@code lbfgs}
 * ({@link LbfgsDemo}). {@code --epochs}, {@code --limit} (training examples), {@code --test-limit} and {@code --seed}
 * override their defaults when given.
 */
public final class CourseRecipes {
  private CourseRecipes() {}

  /** The recipe names. */
  public static final List<String> NAMES = List.of("kfold", "imbalance", "augment", "lbfgs");

  public static boolean has(String sample) { return NAMES.contains(sample); }

  /** Runs {@code sample}'s recipe; null options keep the recipe's own. */
  public static void run(String sample, Integer epochs, Path data, Path onnx, Long seed, Integer trainLimit, Integer testLimit,
                         PrintWriter out) {
    switch (sample) {
      case "kfold" -> {
        CrossValidationDemo.Options d = CrossValidationDemo.Options.defaults();
        CrossValidationDemo.run(data, new CrossValidationDemo.Options(or(trainLimit, d.examples()), d.k(), or(epochs, d.epochs()),
            d.batchSize(), d.lr(), or(seed, d.seed())), out);
      }
      case "imbalance" -> {
        ImbalanceDemo.Options d = ImbalanceDemo.Options.defaults();
        ImbalanceDemo.run(data, new ImbalanceDemo.Options(or(trainLimit, d.examples()), d.keep(), or(testLimit, d.testExamples()),
            or(epochs, d.epochs()), d.batchSize(), d.lr(), or(seed, d.seed())), onnx, out);
      }
      case "augment" -> {
        AugmentationDemo.Options d = AugmentationDemo.Options.defaults();
        AugmentationDemo.run(data, new AugmentationDemo.Options(or(trainLimit, d.examples()), or(testLimit, d.valExamples()),
            or(epochs, d.epochs()), d.batchSize(), d.lr(), or(seed, d.seed())), onnx, out);
      }
      case "lbfgs" -> {
        LbfgsDemo.Options d = LbfgsDemo.Options.defaults();
        LbfgsDemo.run(data, new LbfgsDemo.Options(or(trainLimit, d.examples()), or(testLimit, d.testExamples()),
            or(epochs, d.iterations()), d.history(), or(seed, d.seed())), onnx, out);
      }
      default -> throw new IllegalArgumentException("no course recipe " + sample + "; known: " + NAMES);
    }
  }

  private static <T> T or(T given, T fallback) { return given != null ? given : fallback; }
}
