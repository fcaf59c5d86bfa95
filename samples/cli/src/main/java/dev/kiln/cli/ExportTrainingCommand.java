package dev.kiln.cli;

import dev.kiln.dsl.Model;
import dev.kiln.runtime.train.GraphSchedule;
import dev.kiln.runtime.train.Loss;
import dev.kiln.runtime.train.Losses;
import dev.kiln.runtime.train.Optimizer;
import dev.kiln.runtime.train.Optimizers;
import dev.kiln.runtime.train.Reduction;
import dev.kiln.runtime.train.Schedules;
import dev.kiln.runtime.train.TrainStep;
import dev.kiln.runtime.train.TrainingExport;
import dev.kiln.samples.Samples;
import dev.kiln.samples.TransformerDemo;
import dev.kiln.spec.DType;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Value;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln export-training SAMPLE --optimizer adam --lr 1e-3 --batch-size 128 --output DIR}: writes the sample's
 * training step as plain ONNX ({@code DIR/train_step.onnx}) and its inference model ({@code DIR/model.onnx}), which
 * any ONNX runtime can train with (see docs/onnx-training.md).
 */
@Command(name = "export-training", mixinStandardHelpOptions = true,
    description = "Write a sample's training step (forward, loss, gradients, optimizer) as a plain ONNX model any ONNX "
        + "runtime can train with, and its inference model beside it.")
final class ExportTrainingCommand implements Callable<Integer> {
  /** Fashion-MNIST's training examples, for the default epoch length. */
  static final int FASHION_TRAIN = 60_000;

  @Parameters(index = "0", paramLabel = "SAMPLE", completionCandidates = Samples.Names.class,
      description = "The sample model: ${COMPLETION-CANDIDATES}.")
  String sample;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Folder for train_step.onnx and model.onnx.")
  Path output;

  @Option(names = "--optimizer", paramLabel = "NAME",
      description = "sgd, momentum, nesterov, rmsprop, adagrad, adam or adamw (default: ${DEFAULT-VALUE}).")
  String optimizer = "adam";

  @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 1e-3;

  @Option(names = "--cosine-steps", paramLabel = "N", description = "Anneal the rate to 0 along a cosine over N steps (default: constant).")
  Long cosineSteps;

  @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step, for the epoch length (default: ${DEFAULT-VALUE}).")
  int batchSize = 128;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the initial weights (default: ${DEFAULT-VALUE}).")
  long seed = Model.DEFAULT_SEED;

  @Spec CommandSpec spec;

  @Override public Integer call() {
    if (batchSize < 1) throw new KilnException("--batch-size must be >= 1, got " + batchSize);
    Samples.Sample s = Samples.get(sample);
    Model m = s.build().apply(seed);
    Value out = m.evalGraph().outputs().get(0);  // the training graph lists state updates (batch norm) among its outputs
    Loss loss;
    TensorType labels;
    if (s.name().equals("transformer")) {
      loss = TransformerDemo.perTokenCrossEntropy();
      labels = TrainStep.labelType(DType.I64, new long[] {out.type().shape().dim(1).size()});
    } else if (out.type().rank() == 2) {
      loss = Losses.softmaxCrossEntropy(Reduction.MEAN);
      labels = TrainStep.labelType(DType.I64, new long[0]);
    } else {
      // Dense outputs (the U-Net denoiser): MSE against a target shaped like the output.
      loss = Losses.mse(Reduction.MEAN);
      long[] per = out.type().shape().dims().stream().skip(1).mapToLong(d -> d.size()).toArray();
      labels = TrainStep.labelType(out.type().dtype(), per);
    }
    long stepsPerEpoch = (FASHION_TRAIN + batchSize - 1) / batchSize;
    GraphSchedule schedule = cosineSteps != null ? Schedules.cosine(lr, cosineSteps, 0) : Schedules.constant(lr);
    TrainingExport.write(output, m, loss, out.name(), labels, optimizer(optimizer), schedule, stepsPerEpoch);
    spec.commandLine().getOut().printf("wrote %s and %s: sample %s, %s, lr %s%s, labels %s, epoch of %d steps%n",
        output.resolve(TrainingExport.TRAIN_FILE), output.resolve(TrainingExport.MODEL_FILE), s.name(), optimizer, lr,
        cosineSteps != null ? " cosine over " + cosineSteps + " steps" : "", labels, stepsPerEpoch);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The optimizer called {@code name}, with PyTorch's default hyper-parameters. */
  static Optimizer optimizer(String name) {
    return switch (name) {
      case "sgd" -> Optimizers.sgd();
      case "momentum" -> Optimizers.momentum(0.9);
      case "nesterov" -> Optimizers.nesterov(0.9);
      case "rmsprop" -> Optimizers.rmsprop(0.99, 1e-8);
      case "adagrad" -> Optimizers.adagrad(1e-10);
      case "adam" -> Optimizers.adam(0.9, 0.999, 1e-8);
      case "adamw" -> Optimizers.adamw(0.9, 0.999, 1e-8, 0.01);
      default -> throw new KilnException("unknown optimizer '" + name + "'; choose one of "
          + Arrays.asList("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw"));
    };
  }
}
