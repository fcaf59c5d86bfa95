package dev.kiln.interop.onnx;

import dev.kiln.compiler.io.ReadLimits;
import java.util.regex.Pattern;

/**
 * How {@link OnnxImporter} imports: which initializers become trainable parameters (none by default:
 * an imported model is frozen) and the graph name to use.
 */
public final class ImportOptions {
  private final Pattern trainable;
  private final String graphName;
  private final ReadLimits limits;

  private ImportOptions(Pattern trainable, String graphName, ReadLimits limits) {
    this.trainable = trainable;
    this.graphName = graphName;
    this.limits = limits;
  }

  /** Every initializer frozen; the graph named after the ONNX graph; {@link ReadLimits#defaults()}. */
  public static ImportOptions defaults() { return new ImportOptions(null, null, ReadLimits.defaults()); }

  /** All initializers trainable ({@code true}) or all frozen ({@code false}). */
  public ImportOptions trainable(boolean all) { return new ImportOptions(all ? Pattern.compile(".*") : null, graphName, limits); }

  /** Initializers whose full name matches {@code regex} are trainable, the others frozen. */
  public ImportOptions trainable(String regex) { return new ImportOptions(Pattern.compile(regex), graphName, limits); }

  /** Names the imported graph. */
  public ImportOptions graphName(String name) { return new ImportOptions(trainable, name, limits); }

  /** How large a model may be (nodes, tensor bytes) before it is refused. */
  public ImportOptions limits(ReadLimits l) { return new ImportOptions(trainable, graphName, java.util.Objects.requireNonNull(l)); }

  /** The read limits in force. */
  public ReadLimits limits() { return limits; }

  /** Whether the initializer called {@code name} becomes a trainable parameter. */
  public boolean isTrainable(String name) { return trainable != null && trainable.matcher(name).matches(); }

  /** The chosen graph name, or null to use the ONNX graph's. */
  public String graphName() { return graphName; }
}
