package dev.kiln.compiler.onnx;

import dev.kiln.spec.KilnException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Choices for ONNX export: target opset of the default domain (default {@value #DEFAULT_OPSET},
 * {@value #MIN_OPSET} to {@value #MAX_OPSET} supported) and extra metadata (e.g. class labels).
 */
public final class ExportOptions {
  public static final int DEFAULT_OPSET = 17;
  public static final int MIN_OPSET = 13;
  public static final int MAX_OPSET = 21;

  private final int opset;
  private final Map<String, String> metadata;
  private final boolean decomposeComposites;
  private final boolean trainingForm;

  private ExportOptions(int opset, Map<String, String> metadata) { this(opset, metadata, false, false); }

  private ExportOptions(int opset, Map<String, String> metadata, boolean decomposeComposites, boolean trainingForm) {
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new KilnException("ONNX opset " + opset + " is not supported for export; choose " + MIN_OPSET + " to " + MAX_OPSET);
    }
    this.opset = opset;
    this.metadata = Map.copyOf(metadata);
    this.decomposeComposites = decomposeComposites;
    this.trainingForm = trainingForm;
  }

  public static ExportOptions defaults() { return new ExportOptions(DEFAULT_OPSET, Map.of()); }

  public ExportOptions opset(int o) { return new ExportOptions(o, metadata, decomposeComposites, trainingForm); }

  /**
   * Whether composite ops are always written as their decomposition (true), or in their native ONNX form
   * where the target opset has one (false, the default; e.g. {@code LSTM}, which runs a dynamic sequence length).
   */
  public ExportOptions decomposeComposites(boolean d) { return new ExportOptions(opset, metadata, d, trainingForm); }

  public boolean decomposeComposites() { return decomposeComposites; }

  /**
   * Whether the graph is exported as it is (true: a training step, whose batch norm uses batch statistics and
   * whose state updates are outputs) instead of in its inference form (false, the default: the eval-mode
   * rewrite runs first). Training-form Dropout has no ONNX form and is refused.
   */
  public ExportOptions trainingForm(boolean t) { return new ExportOptions(opset, metadata, decomposeComposites, t); }

  public boolean trainingForm() { return trainingForm; }

  /** Adds a metadata entry written into the model's metadata_props. */
  public ExportOptions metadata(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new ExportOptions(opset, m, decomposeComposites, trainingForm);
  }

  public int opset() { return opset; }

  public Map<String, String> metadata() { return metadata; }

  /** The ONNX IR version that goes with an opset (per the ONNX versioning table). */
  public int irVersion() {
    if (opset <= 14) return 7;
    if (opset <= 18) return 8;
    if (opset <= 20) return 9;
    return 10;
  }
}
