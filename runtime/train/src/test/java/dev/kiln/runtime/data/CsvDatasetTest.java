package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV datasets from real files: quoting, class names, regression targets, and errors that say where. */
class CsvDatasetTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  @Test void readsQuotedFieldsCrlfAndClassNames() throws Exception {
    // A BOM, CRLF, a quoted label holding a comma, a line break and a doubled quote, and a blank line.
    Path f = write("iris.csv", "\uFEFFsepal,\"petal, width\",species\r\n1.5,2,setosa\r\n\r\n-3e-1,.5,\"virginica, \"\"big\"\"\nsecond line\"\r\n4,+1,setosa\r\n");
    CsvDataset.Loaded l = CsvDataset.classification(f, "species");
    assertEquals(List.of("sepal", "petal, width"), l.featureColumns());
    assertEquals(List.of("setosa", "virginica, \"big\"\nsecond line"), l.classes());
    assertArrayEquals(new float[] {1.5f, 2, -0.3f, 0.5f, 4, 1}, l.data().features().toFloats());
    assertArrayEquals(new long[] {3, 2}, l.data().features().shape());
    assertArrayEquals(new long[] {0, 1, 0}, l.data().labelValues());
  }

  @Test void integerLabelsStayAndRegressionTakesSeveralTargets() throws Exception {
    Path f = write("d.csv", "a,y,b,z\n1,7,2,0.5\n3,2,4,-1\n");
    CsvDataset.Loaded c = CsvDataset.classification(f, "y");
    assertArrayEquals(new long[] {7, 2}, c.data().labelValues());
    assertTrue(c.classes().isEmpty());
    CsvDataset.Loaded r = CsvDataset.regression(f, "z", "y");
    assertEquals(List.of("a", "b"), r.featureColumns());
    assertArrayEquals(new float[] {0.5f, 7, -1, 2}, r.data().labels().toFloats());
    assertArrayEquals(new float[] {1, 2, 3, 4}, r.data().features().toFloats());
  }

  @Test void errorsNameTheFileLineAndColumn() throws Exception {
    Path bad = write("bad.csv", "a,b,label\n1,2,0\n3,x7,1\n");
    KilnException e = assertThrows(KilnException.class, () -> CsvDataset.classification(bad, "label"));
    assertEquals(bad + ": line 3, column 2 ('b'): 'x7' is not a number", e.getMessage());
    Path empty = write("empty.csv", "a,b,label\n1,,0\n");
    e = assertThrows(KilnException.class, () -> CsvDataset.classification(empty, "label"));
    assertEquals(empty + ": line 2, column 2 ('b'): empty value", e.getMessage());
    Path ragged = write("ragged.csv", "a,b,label\n1,2,0\n1,2\n");
    e = assertThrows(KilnException.class, () -> CsvDataset.classification(ragged, "label"));
    assertEquals(ragged + ": line 3 has 2 fields, the header has 3", e.getMessage());
    Path open = write("open.csv", "a,label\n1,\"0\n2,1\n");
    e = assertThrows(KilnException.class, () -> CsvDataset.classification(open, "label"));
    assertEquals(open + ": line 2, column 2: quoted field never closed", e.getMessage());
    Path nan = write("nan.csv", "a,label\nNaN,1\n");
    e = assertThrows(KilnException.class, () -> CsvDataset.classification(nan, "label"));
    assertTrue(e.getMessage().contains("line 2, column 1 ('a'): 'NaN' is not a number"), e.getMessage());
    e = assertThrows(KilnException.class, () -> CsvDataset.classification(bad, "class"));
    assertTrue(e.getMessage().contains("no column 'class'") && e.getMessage().contains("[a, b, label]"), e.getMessage());
    e = assertThrows(KilnException.class, () -> CsvDataset.classification(tmp.resolve("missing.csv"), "y"));
    assertTrue(e.getMessage().contains("missing.csv"), e.getMessage());
  }
}
