/**
 * The DSL's layers: one class per layer kind, each an immutable set of options with PyTorch's defaults, built by a
 * static factory and fluent withers, and applied to a tensor through {@link dev.kiln.dsl.ModelBuilder#apply(String,
 * Layer, dev.kiln.dsl.Tensor)} or its chaining form {@link dev.kiln.dsl.Tensor#apply(String, Layer)}:
 *
 * <pre>{@code
 * Tensor<F32> h = x.apply("c1", Conv2d.of(32, 3).padding(Padding.SAME))   // parameters c1.weight, c1.bias
 *     .relu()
 *     .apply(MaxPool2d.of(2))                                              // no parameters, no name
 *     .apply("bn", BatchNorm.of());
 * Tensor<F32> seq = m.apply("enc", Lstm.of(128).layers(2).bidirectional(), tokens);
 * }</pre>
 *
 * A {@link Layer} owns parameters and takes a name (its block: {@code c1.weight}, the names PyTorch state dicts
 * bind to); a {@link Transform} has none. Layers with more inputs (attention's key and value, recurrent initial
 * states) take them in their own {@code apply} overloads. A mistake in an option fails where the options are
 * built, a mistake in the input where the layer is applied; both name the user's line.
 */
@NullMarked
package dev.kiln.dsl.layers;

import org.jspecify.annotations.NullMarked;
