package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Tensor
import dev.kiln.dsl.layers.GatConv
import dev.kiln.dsl.layers.GcnConv
import dev.kiln.dsl.layers.SageConv

// Graph layers with named arguments over the layer classes (GcnConv, SageConv, GatConv): this tensor holds the
// node features [nodes, in], `edges` the edge index [2, edges] (sources, destinations) without self loops.

/** A graph convolution `name` with symmetric normalisation and self loops ([GcnConv]): `x.gcn("gcn1", edges, 16)`. */
fun <T : Any> Tensor<T>.gcn(name: String, edges: Tensor<*>, out: Long, bias: Boolean = true): Tensor<T> =
  GcnConv.of(out).bias(bias).apply(name, this, edges)

/** GraphSAGE `name` with the mean aggregator ([SageConv]): `x.sage("sage1", edges, 16)`. */
fun <T : Any> Tensor<T>.sage(name: String, edges: Tensor<*>, out: Long): Tensor<T> = SageConv.of(out).apply(name, this, edges)

/** Graph attention `name` ([GatConv]), heads concatenated unless `concat = false`: `x.gat("gat1", edges, 8, heads = 4)`. */
fun <T : Any> Tensor<T>.gat(name: String, edges: Tensor<*>, out: Long, heads: Long = 1, concat: Boolean = true): Tensor<T> =
  GatConv.of(out, heads).concat(concat).apply(name, this, edges)
