/**
 * The TensorFlow-Java back end (TF-Java 1.1.0): forward execution of IR graphs.
 *
 * <p>{@link dev.kiln.runtime.tf.TfLowerer} interprets each op's declarative
 * {@link dev.kiln.spec.op.TfLowering}: a plain {@code TfLowering.op(type)} becomes one op built with
 * TF-Java's generic {@code Graph.opBuilder}, its attributes mapped from the node's (with converters),
 * constant attributes, and IR attributes passed as constant inputs ({@code attrAsInput}); handler
 * forms ({@code TfLowering.custom(name)}) run the handler registered for the op in
 * {@link dev.kiln.runtime.tf.ops.TfHandlers}, which writes through a {@link dev.kiln.runtime.tf.ops.TfEmitter}.
 * Type attributes a declaration leaves out ({@code T}, {@code Tidx}, {@code SrcT}, {@code dtype},
 * {@code N}, ...) are inferred from TF's own op definitions: input arguments take their inputs' types,
 * output arguments the IR outputs' dtypes.
 * Every lowered output is checked against the IR type (dtype, and each dim TF knows statically).
 *
 * <p>Inputs are {@code Placeholder}s (-1 for symbolic dims); parameters are resource variables
 * ({@code VarHandleOp}, read with {@code ReadVariableOp}, set once by {@code AssignVariableOp} from a
 * constant). TF-Java 1.1.0 has no int8/int16 tensor classes, so those cross the Java boundary as
 * uint8/uint16 with a {@code Bitcast} in the graph. {@link dev.kiln.runtime.tf.TfModel} owns the
 * graph and session.
 *
 * <p>Training: {@code TfLowerer.lower(ir, assignments)} adds one {@code AssignVariableOp} per assigned
 * output, with control dependencies on every variable read, so a step reads old values and then
 * writes new ones; {@link dev.kiln.runtime.tf.TfTrainSession} holds that train graph and an evaluation
 * graph lowered into the same TF graph ({@code lowerInto}, names under {@code eval/}) whose variables
 * share the train graph's by {@code shared_name}.
 *
 * <p>oneDNN: with {@code TF_ENABLE_ONEDNN_OPTS=1} TF rewrites kernels to {@code _Mkl*} ops (visible in
 * the partition graphs a run can return) and logs "oneDNN custom operations are on" at INFO level.
 * TF-Java's build leaves it off by default and reads the variable once, when its native library loads;
 * {@link dev.kiln.runtime.tf.OneDnn} sets it in the C environment before that (unless the user set it).
 */
package dev.kiln.runtime.tf;
