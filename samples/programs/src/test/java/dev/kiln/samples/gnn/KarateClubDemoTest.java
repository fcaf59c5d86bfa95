package dev.kiln.samples.gnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node classification on the karate club with each graph layer: trained from 4 labelled members, it must classify
 * most of the other 30 (a model that ignores the graph sees only one-hot features of unlabelled nodes, which carry
 * nothing, so this needs message passing), and the exported model (edge index as an input) must agree with the
 * training back end in ONNX Runtime on the club and on a 20-member subgraph.
 */
class KarateClubDemoTest {
  @ParameterizedTest
  @ValueSource(strings = {"gcn", "sage", "gat"})
  void learnsTheSplitFromFourLabels(String layer, @TempDir Path dir) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    KarateClubDemo.Result r = KarateClubDemo.run(layer, dir.resolve(layer + ".onnx"), 1, new PrintStream(text, true, StandardCharsets.UTF_8));
    System.out.print(text.toString(StandardCharsets.UTF_8));
    assertTrue(r.tfAccuracy() >= 0.8, layer + ": accuracy " + r.tfAccuracy());
    assertTrue(r.ortAccuracy() == r.tfAccuracy(), layer + ": ORT accuracy " + r.ortAccuracy() + " vs TF " + r.tfAccuracy());
    assertTrue(r.maxAbsDiff() < 1e-4, layer + ": max |TF - ORT| " + r.maxAbsDiff());
  }
}
