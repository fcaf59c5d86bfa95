package dev.kiln.interop.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadReportTest {
  @Test
  void toStringCountsAndShortensEachList() {
    List<String> loaded = new ArrayList<>();
    for (int i = 0; i < 100; i++) loaded.add("layer" + i + ".weight");
    LoadReport r = new LoadReport(loaded, List.of("fc.weight", "fc.bias"), loaded.subList(0, 10), List.of());
    assertEquals("LoadReport: 100 loaded\n  2 missing: fc.weight, fc.bias\n"
        + "  10 unexpected: layer0.weight, layer1.weight, layer2.weight, layer3.weight, layer4.weight, layer5.weight,"
        + " layer6.weight, layer7.weight, ... and 2 more", r.toString());
    assertEquals("LoadReport: 3 loaded", new LoadReport(List.of("a", "b", "c"), List.of(), List.of(), List.of()).toString());
  }
}
