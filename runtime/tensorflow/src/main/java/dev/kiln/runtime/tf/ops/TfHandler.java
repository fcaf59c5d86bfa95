package dev.kiln.runtime.tf.ops;

import java.util.List;

/**
 * The TF back end's lowering of one op whose declared form is a handler ({@code TfLowering.custom(name)} in the
 * op class): builds the node's outputs from its inputs with a {@link TfEmitter}. Registered by op name in
 * {@link TfHandlers}.
 */
@FunctionalInterface
public interface TfHandler {
  List<Object> emit(TfEmitter e);
}
