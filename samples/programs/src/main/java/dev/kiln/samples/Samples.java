package dev.kiln.samples;

import dev.kiln.dsl.Model;
import dev.kiln.samples.kotlin.KotlinModels;
import dev.kiln.samples.course.LbfgsDemo;
import dev.kiln.models.AlexNetStyle;
import dev.kiln.models.InceptionNet;
import dev.kiln.models.LeNet5;
import dev.kiln.models.Mlp;
import dev.kiln.models.VggStyle;
import dev.kiln.models.ResNet;
import dev.kiln.models.UNet;
import dev.kiln.spec.KilnException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;

/** The named sample models {@code kiln export} writes and {@code kiln train} trains. Adding one is one line in {@link #ALL}. */
public final class Samples {
  /** A sample: its name, a one-line description, and how to build it from a seed. */
  public record Sample(String name, String description, LongFunction<Model> build) {}

  private static final Map<String, Sample> ALL = new LinkedHashMap<>();

  static {
    add(new Sample("mlp", "Fashion-MNIST MLP: image f32[batch, 784] -> 256 -> 256 -> logits f32[batch, 10]", Mlp::build));
    add(new Sample("kotlin-mlp", "the MLP written in Kotlin: image f32[batch, 784] -> 256 -> 256 -> logits f32[batch, 10]",
        KotlinModels::mlp));
    add(new Sample("kotlin-cnn", "small CNN in Kotlin: image f32[batch, 1, 28, 28] -> conv 16, pool, conv 32, pool -> logits f32[batch, 10]",
        KotlinModels::cnn));
    add(new Sample("resnet", "small ResNet: image f32[batch, 1, 28, 28] -> 3 stages x 2 residual blocks (16/32/64, batch norm) "
        + "-> logits f32[batch, 10]", ResNet::build));
    add(new Sample("unet", "U-Net denoiser: noisy f32[batch, 1, 28, 28] -> encoder, skips, transposed convs -> denoised "
        + "f32[batch, 1, 28, 28]", UNet::build));
    add(new Sample("alexnet", "AlexNet-style CNN: image f32[batch, 1, 28, 28] -> 5x5 convs, overlapping pools, three 3x3 convs, "
        + "dense 256 x 2 with dropout -> logits f32[batch, 10]", AlexNetStyle::build));
    add(new Sample("vgg", "VGG-style CNN: image f32[batch, 1, 28, 28] -> 3 blocks of two 3x3 convs (16/32/64) and a pool -> "
        + "dense 256, dropout -> logits f32[batch, 10]", VggStyle::build));
    add(new Sample("inception", "GoogLeNet-style CNN: image f32[batch, 1, 28, 28] -> stem, two Inception blocks (1x1, 3x3, 5x5, "
        + "pool branches), global average pool -> logits f32[batch, 10]", InceptionNet::build));
    // Course experiments: kiln train runs their recipes (dev.kiln.samples.course); the model is the one they train.
    add(new Sample("kfold", "the MLP, cross-validated (kiln train: 5-fold cross-validation, per-fold table, mean and std)", Mlp::build));
    add(new Sample("imbalance", "the MLP on imbalanced data (kiln train: plain vs class-balanced weighted sampling, per-class "
        + "recall)", Mlp::build));
    add(new Sample("augment", "LeNet-5 (kiln train: augmentation vs over-fitting on 2000 images, 40 epochs, train/validation curves "
        + "as PNG)", LeNet5::build));
    add(new Sample("lbfgs", "softmax regression image f32[batch, 784] -> logits f32[batch, 10] (kiln train: full-batch "
        + "L-BFGS; --epochs sets the iterations)", LbfgsDemo::softmaxRegression));
    add(new Sample("transformer", "tiny transformer encoder reversing token sequences: tokens i64[batch, 8] -> logits f32[batch, 8, 10]"
        + " (kiln train: its synthetic task, not Fashion-MNIST)",
        seed -> TransformerDemo.model(withSeed(TransformerDemo.Settings.defaults(), seed))));
  }

  private static TransformerDemo.Settings withSeed(TransformerDemo.Settings d, long seed) {
    return new TransformerDemo.Settings(d.trainSize(), d.epochs(), d.width(), d.heads(), d.layers(), d.learningRate(), seed);
  }

  private Samples() {}

  private static void add(Sample s) { ALL.put(s.name(), s); }

  /** Every sample, in registration order. */
  public static Map<String, Sample> all() { return java.util.Collections.unmodifiableMap(ALL); }

  /** The sample called {@code name}, or an error listing the known ones. */
  public static Sample get(String name) {
    Sample s = ALL.get(name);
    if (s == null) throw new KilnException("no sample model '" + name + "'; known samples: " + String.join(", ", ALL.keySet()));
    return s;
  }

  /** The names, for picocli's completion candidates and help text. */
  public static final class Names implements Iterable<String> {
    @Override public Iterator<String> iterator() { return ALL.keySet().iterator(); }
  }
}
