package dev.kiln.compiler.onnx;

import dev.kiln.spec.KilnException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Choices for ONNX export: target opset of the default domain (default {@value #DEFAULT_OPSET},
 * {@value #MIN_OPSET} to {@value #MAX_OPSET} supported), extra metadata (e.g. class labels), and which form of a
 * training-form graph is written (inference, Monte Carlo dropout, or the training step itself).
 */
public final class ExportOptions {
  public static final int DEFAULT_OPSET = 17;
  public static final int MIN_OPSET = 13;
  public static final int MAX_OPSET = 21;

  private final int opset;
  private final Map<String, String> metadata;
  private final boolean decomposeComposites;
  private final boolean keepDropout;
  private final boolean trainingForm;
  private final boolean foldInputAffine;

  private ExportOptions(int opset, Map<String, String> metadata, boolean decomposeComposites, boolean keepDropout,
                        boolean trainingForm) {
    this(opset, metadata, decomposeComposites, keepDropout, trainingForm, true);
  }

  private ExportOptions(int opset, Map<String, String> metadata, boolean decomposeComposites, boolean keepDropout,
                        boolean trainingForm, boolean foldInputAffine) {
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new KilnException("ONNX opset " + opset + " is not supported for export; choose " + MIN_OPSET + " to " + MAX_OPSET);
    }
    if (keepDropout && trainingForm) {
      throw new KilnException("ExportOptions: keepDropout (Monte Carlo inference) and trainingForm (a training step) exclude each other");
    }
    this.opset = opset;
    this.metadata = Map.copyOf(metadata);
    this.decomposeComposites = decomposeComposites;
    this.keepDropout = keepDropout;
    this.trainingForm = trainingForm;
    this.foldInputAffine = foldInputAffine;
  }

  public static ExportOptions defaults() { return new ExportOptions(DEFAULT_OPSET, Map.of(), false, false, false); }

  public ExportOptions opset(int o) { return new ExportOptions(o, metadata, decomposeComposites, keepDropout, trainingForm, foldInputAffine); }

  /**
   * Whether composite ops are always written as their decomposition (true), or in their native ONNX form
   * where the target opset has one (false, the default; e.g. {@code LSTM}, which runs a dynamic sequence length).
   */
  public ExportOptions decomposeComposites(boolean d) { return new ExportOptions(opset, metadata, d, keepDropout, trainingForm, foldInputAffine); }

  public boolean decomposeComposites() { return decomposeComposites; }

  /**
   * Whether training-form Dropout stays random in the export (true: Monte Carlo dropout, written as a
   * RandomUniformLike mask, masks from ONNX Runtime's generator seeded by the layer's seed; the IR's step
   * input is then unread and left out) or becomes the identity (false, the default: the inference form).
   */
  public ExportOptions keepDropout(boolean k) { return new ExportOptions(opset, metadata, decomposeComposites, k, trainingForm, foldInputAffine); }

  public boolean keepDropout() { return keepDropout; }

  /**
   * Whether the graph is exported as it is (true: a training step, whose batch norm uses batch statistics and
   * whose state updates are outputs) instead of in its inference form (false, the default: the eval-mode
   * rewrite runs first). Training-form Dropout is written as its decomposition, the counter-based hash mask of
   * {@code DropoutMask}, which the TensorFlow back end draws too.
   */
  public ExportOptions trainingForm(boolean t) { return new ExportOptions(opset, metadata, decomposeComposites, keepDropout, t, foldInputAffine); }

  public boolean trainingForm() { return trainingForm; }

  /**
   * Whether constant affine preprocessing of an input ({@code (x - m) / s}, the zoo's {@code Standardize}) is
   * folded into the first layer's weights and bias where that is exact (true, the default; see
   * {@link dev.kiln.compiler.passes.FoldInputAffine}). The exported weights of that layer then differ from the
   * model's; false keeps the graph's nodes and weights as they are. A training step is never folded.
   */
  public ExportOptions foldInputAffine(boolean f) {
    return new ExportOptions(opset, metadata, decomposeComposites, keepDropout, trainingForm, f);
  }

  public boolean foldInputAffine() { return foldInputAffine; }

  /** Adds a metadata entry written into the model's metadata_props. */
  public ExportOptions metadata(String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new ExportOptions(opset, m, decomposeComposites, keepDropout, trainingForm, foldInputAffine);
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
