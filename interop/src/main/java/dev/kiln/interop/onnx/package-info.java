/**
 * ONNX import: {@link dev.kiln.interop.onnx.OnnxImporter} reads a {@code ModelProto} (default domain,
 * opsets 7 to 21) into an IR graph. One-to-one ops are imported by reading the IR ops' declared ONNX
 * forms backwards ({@code SimpleImporter}); ops whose ONNX form changed over the opsets or that compose
 * several IR ops have one importer class per family ({@code ShapeImporters}, {@code ReduceImporters},
 * {@code WindowImporters}, {@code MathImporters}, {@code CompositeImporters}, {@code ConstantImporters}).
 * Constants (initializers, Constant nodes, shape computations) stay on the host while they feed shape
 * arguments, so static shape subgraphs fold away; initializers used as data become parameters.
 */
package dev.kiln.interop.onnx;
