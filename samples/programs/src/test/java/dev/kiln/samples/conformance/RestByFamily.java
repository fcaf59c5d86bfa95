package dev.kiln.samples.conformance;

import dev.kiln.samples.conformance.ConformanceRunner.Result;
import dev.kiln.samples.conformance.Outcome.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups the node cases that do not pass into op families, so the report says what the rest is made of.
 * A case goes to the first family (in this order) whose ops its model uses; a case using none of them
 * falls under "other", whose reasons are in the per-case table (forms, data types, numerics).
 */
final class RestByFamily {
  private RestByFamily() {}

  private static final Map<String, Set<String>> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put("training operators (ai.onnx.preview.training domain)", Set.of("ai.onnx.preview.training:Adagrad", "ai.onnx.preview.training:Adam",
        "ai.onnx.preview.training:Momentum", "ai.onnx.preview.training:Gradient"));
    FAMILIES.put("control flow, sequences and optionals", Set.of("Loop", "If", "Scan", "SequenceAt", "SequenceConstruct",
        "SequenceEmpty", "SequenceErase", "SequenceInsert", "SequenceLength", "SequenceMap", "SplitToSequence",
        "ConcatFromSequence", "Optional", "OptionalHasElement", "OptionalGetElement"));
    FAMILIES.put("strings and text", Set.of("StringNormalizer", "TfIdfVectorizer", "RegexFullMatch", "StringConcat",
        "StringSplit", "LabelEncoder"));
    FAMILIES.put("quantisation and integer kernels", Set.of("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
        "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger"));
    FAMILIES.put("signal processing", Set.of("DFT", "STFT", "MelWeightMatrix", "HannWindow", "HammingWindow",
        "BlackmanWindow"));
    FAMILIES.put("random number generation", Set.of("Bernoulli", "RandomUniformLike", "RandomNormalLike",
        "RandomUniform", "RandomNormal", "Multinomial"));
    FAMILIES.put("detection and sampling", Set.of("NonMaxSuppression", "RoiAlign", "GridSample", "MaxUnpool",
        "AffineGrid", "Col2Im", "CenterCropPad"));
    FAMILIES.put("data-dependent output shapes", Set.of("Unique"));
    FAMILIES.put("other ops (or forms of them, e.g. Dropout with a run-time training_mode) not yet in Kiln", Set.of("Det",
        "Hardmax", "Trilu", "Upsample", "Dropout", "Celu", "Gelu", "Mish"));
  }

  /** The markdown section. */
  static String render(List<Result> results) {
    Map<String, List<Result>> groups = new LinkedHashMap<>();
    for (String f : FAMILIES.keySet()) groups.put(f, new ArrayList<>());
    groups.put("other: forms, data types and numerics of supported ops (see the per-case table)", new ArrayList<>());
    int total = 0;
    for (Result r : results) {
      if (!r.c().folder().equals("node")) continue;
      total++;
      if (r.tf().kind() == Kind.PASS && r.ort().kind() == Kind.PASS) continue;
      String family = null;
      for (var e : FAMILIES.entrySet()) {
        if (r.ops().stream().anyMatch(e.getValue()::contains)) {
          family = e.getKey();
          break;
        }
      }
      groups.get(family != null ? family : groups.keySet().stream().reduce((a, b) -> b).orElseThrow()).add(r);
    }
    StringBuilder b = new StringBuilder("\n## What the rest of the node cases are\n\n")
        .append("The node cases (of ").append(total).append(") that do not pass on both back ends, by op family ")
        .append("(a case counts once, under the first family whose ops it uses):\n\n")
        .append("| family | cases | not passing on TF | not passing in ORT | ops involved |\n|---|---:|---:|---:|---|\n");
    groups.forEach((f, rs) -> {
      if (rs.isEmpty()) return;
      Set<String> ops = new TreeSet<>();
      Set<String> members = FAMILIES.get(f);
      for (Result r : rs) for (String op : r.ops()) if (members == null || members.contains(op)) ops.add(op);
      String opList = members == null ? "" : String.join(", ", ops);
      b.append("| ").append(f).append(" | ").append(rs.size())
          .append(" | ").append(rs.stream().filter(r -> r.tf().kind() != Kind.PASS).count())
          .append(" | ").append(rs.stream().filter(r -> r.ort().kind() != Kind.PASS).count())
          .append(" | ").append(opList).append(" |\n");
    });
    return b.toString();
  }
}
