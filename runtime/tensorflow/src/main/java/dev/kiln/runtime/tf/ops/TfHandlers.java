package dev.kiln.runtime.tf.ops;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The TF back end's handler table, keyed by op name: the lowering of every op whose declared TF form is a handler
 * ({@code TfLowering.custom(name)}). Plain forms ({@code TfLowering.op("Relu")}) need no entry: {@code TfLowerer}
 * builds them from the declaration. {@code TfLoweringRegistryTest} fails when a declared handler form has no entry
 * here, or an entry names no such op.
 */
public final class TfHandlers {
  private TfHandlers() {}

  private static final Map<String, TfHandler> TABLE = table();

  private static Map<String, TfHandler> table() {
    Map<String, TfHandler> m = new TreeMap<>();
    // Element-wise.
    m.put("BitShift", ElementwiseHandlers::bitShift);
    m.put("Celu", ElementwiseHandlers::celu);
    m.put("Clip", ElementwiseHandlers::clip);
    m.put("Div", ElementwiseHandlers::div);
    m.put("Elu", ElementwiseHandlers::elu);
    m.put("HardSigmoid", ElementwiseHandlers::hardSigmoid);
    m.put("HardSwish", ElementwiseHandlers::hardSwish);
    m.put("IsInf", ElementwiseHandlers::isInf);
    m.put("Mod", ElementwiseHandlers::mod);
    m.put("PRelu", ElementwiseHandlers::prelu);
    m.put("ReluGrad", ElementwiseHandlers::reluGrad);
    m.put("Selu", ElementwiseHandlers::selu);
    m.put("Shrink", ElementwiseHandlers::shrink);
    m.put("ThresholdedRelu", ElementwiseHandlers::thresholdedRelu);
    // Products, reductions, softmaxes, generated tensors.
    m.put("ArgMax", MathHandlers::argMax);
    m.put("ConstantOfShape", MathHandlers::constantOfShape);
    m.put("CumSum", MathHandlers::cumSum);
    m.put("DynamicReduceSum", MathHandlers::dynamicReduceSum);
    m.put("EyeLike", MathHandlers::eyeLike);
    m.put("LogSoftmax", e -> MathHandlers.axisSoftmax(e, "LogSoftmax"));
    m.put("MatMul", MathHandlers::matMul);
    m.put("OneHot", MathHandlers::oneHot);
    m.put("RandomUniformLike", RandomHandlers::randomUniformLike);
    m.put("Range", MathHandlers::range);
    m.put("ReduceMax", e -> MathHandlers.reduce(e, "Max"));
    m.put("ReduceMean", e -> MathHandlers.reduce(e, "Mean"));
    m.put("ReduceProd", e -> MathHandlers.reduce(e, "Prod"));
    m.put("ReduceSum", e -> MathHandlers.reduce(e, "Sum"));
    m.put("Softmax", e -> MathHandlers.axisSoftmax(e, "Softmax"));
    m.put("TopK", MathHandlers::topK);
    // Control flow: the lowerer builds the while loop (its body is a subgraph lowered in turn).
    m.put("Loop", TfEmitter::whileLoop);
    // Shapes.
    m.put("BroadcastLike", ShapeHandlers::broadcastLike);
    m.put("Concat", ShapeHandlers::concat);
    m.put("NonMaxSuppression", DetectionHandlers::nonMaxSuppression);
    m.put("NonZero", DetectionHandlers::nonZero);
    m.put("Unique", UniqueHandler::unique);
    m.put("Expand", ShapeHandlers::expand);
    m.put("Flatten", ShapeHandlers::flatten);
    m.put("Pad", ShapeHandlers::pad);
    m.put("Reshape", ShapeHandlers::reshape);
    m.put("Shape", ShapeHandlers::shape);
    m.put("Slice", ShapeHandlers::slice);
    m.put("Split", ShapeHandlers::split);
    m.put("Squeeze", ShapeHandlers::squeeze);
    m.put("Transpose", ShapeHandlers::transpose);
    m.put("Unsqueeze", ShapeHandlers::unsqueeze);
    m.put("DynamicPad", DynamicShapeHandlers::pad);
    m.put("DynamicReshape", DynamicShapeHandlers::reshape);
    m.put("DynamicSlice", DynamicShapeHandlers::slice);
    m.put("DynamicSqueeze", DynamicShapeHandlers::squeeze);
    m.put("DynamicUnsqueeze", DynamicShapeHandlers::unsqueeze);
    // Gathers and scatters.
    m.put("Gather", IndexHandlers::gather);
    m.put("GatherGrad", IndexHandlers::gatherGrad);
    m.put("GatherND", IndexHandlers::gatherNd);
    m.put("ScatterND", IndexHandlers::scatterNd);
    m.put("SegmentMax", SegmentHandlers::max);
    m.put("SegmentMean", SegmentHandlers::mean);
    m.put("SegmentSum", SegmentHandlers::sum);
    // Normalisation and dropout.
    m.put("BatchNormalization", NormHandlers::batchNormalization);
    m.put("BatchNormTraining", TfBatchNorm::forward);
    m.put("BatchNormTrainingGrad", TfBatchNorm::gradient);
    m.put("Dropout", NormHandlers::dropout);
    m.put("LayerNormalization", NormHandlers::layerNormalization);
    m.put("InstanceNormalization", NormHandlers::instanceNormalization);
    // Windows (NHWC kernels) and resizing.
    m.put("AveragePool", TfConv::avgPool);
    m.put("Conv", TfConv::conv);
    m.put("ConvFilterGrad", TfConvGrad::filterGrad);
    m.put("ConvTranspose", TfConvGrad::convTranspose);
    m.put("GlobalAveragePool", e -> TfConv.globalPool(e, "Mean"));
    m.put("GlobalMaxPool", e -> TfConv.globalPool(e, "Max"));
    m.put("MaxPool", TfConv::maxPool);
    m.put("MaxPoolGrad", TfConvGrad::maxPoolGrad);
    m.put("Resize", TfResize::emit);
    return Collections.unmodifiableMap(m);
  }

  /** The handler of op {@code opName}, or null when this back end has none. */
  public static TfHandler forOp(String opName) { return TABLE.get(opName); }

  /** Every op with a handler, by name. */
  public static Map<String, TfHandler> all() { return TABLE; }
}
