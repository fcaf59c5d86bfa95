package dev.kiln.runtime.train;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import java.util.Map;

/**
 * An execution back end for training (TensorFlow-Java today). The training layer builds the whole train
 * step as IR ({@link TrainStep}: forward, loss, gradients, optimizer and state updates) and hands it to a
 * back end, which compiles and runs it; the training layer never names a back end's classes.
 *
 * <p>Back ends register as {@link java.util.ServiceLoader} providers of this interface
 * ({@code META-INF/services/dev.kiln.runtime.train.Backend}); {@link Backends#find()} picks one, or the user
 * passes one to {@link TrainerBuilder#backend(Backend)}.
 */
public interface Backend {
  /** A short name ({@code tensorflow}), as {@code -Dkiln.backend=} selects it. */
  String name();

  /**
   * Which back end {@link Backends#find()} picks when several are on the class path and none is named: the
   * highest priority wins (TensorFlow's is 100, ONNX Runtime's 0, so adding ONNX Runtime changes no default).
   */
  default int priority() { return 0; }

  /**
   * Starts loading the back end's native library on a background thread and returns at once, so the load
   * overlaps whatever the caller does next (reading data, building the model); {@link #open} then finds it
   * loaded or waits for it. Idempotent; does nothing where there is nothing to load. Call it first thing in a
   * program that will train ({@code Backends.named("tensorflow").preload()}): the native load is the largest
   * single part of the time to the first step (docs/benchmarks.md).
   */
  default void preload() {}

  /**
   * Compiles {@code step} and {@code evalGraph} into one session whose variables (every parameter of the
   * step graph: parameters, slots, state) start at the parameters' initial values and are shared by both.
   * Every parameter of {@code evalGraph} must be one of the step graph's, with the same type. The step's
   * {@link TrainStep#assignments()} say which variable each new value is stored into after a step; a back
   * end may run {@link TrainStep#fusedUpdates()} in place of some of them.
   */
  TrainSession open(TrainStep step, Graph evalGraph);

  /** Runs {@code graph} once on {@code feed} (parameters at their initial values); returns every output by name. */
  Map<String, HostTensor> run(Graph graph, Map<String, HostTensor> feed);
}
