package dev.kiln.samples.gnn;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Zachary's karate club (34 members, 78 friendships, the club each member joined after the split), read from the
 * committed text file {@code karate-club.txt} beside this class: the edge index with every friendship in both
 * directions, i64 [2, 156] (sources, then destinations), and the labels, i64 [34].
 */
public record KarateClub(int nodes, HostTensor edgeIndex, HostTensor labels) {
  /** The resource holding the graph. */
  public static final String RESOURCE = "karate-club.txt";

  /** Reads the committed graph. */
  public static KarateClub load() {
    try (InputStream in = KarateClub.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new KilnException("missing resource " + RESOURCE + " beside " + KarateClub.class.getName());
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new KilnException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  private static KarateClub parse(BufferedReader r) throws IOException {
    int n = -1;
    long[] labels = null;
    List<long[]> edges = new ArrayList<>();
    int lineNo = 0;
    for (String line; (line = r.readLine()) != null; ) {
      lineNo++;
      String text = line.replaceAll("#.*", "").trim();
      if (text.isEmpty()) continue;
      String[] w = text.split("\\s+");
      if (w[0].equals("nodes")) {
        n = Integer.parseInt(w[1]);
      } else if (w[0].equals("labels")) {
        labels = new long[w.length - 1];
        for (int i = 1; i < w.length; i++) labels[i - 1] = Long.parseLong(w[i]);
      } else if (w.length == 2) {
        edges.add(new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])});
      } else {
        throw new KilnException(RESOURCE + " line " + lineNo + ": expected 'a b', 'nodes N' or 'labels ...', got '" + line + "'");
      }
    }
    if (n < 1 || labels == null || labels.length != n) throw new KilnException(RESOURCE + ": needs 'nodes N' and N labels");
    int e = edges.size();
    // Row 0 the sources, row 1 the destinations: every a -> b, then every b -> a (as make_fixtures.py).
    long[] index = new long[4 * e];
    for (int i = 0; i < e; i++) {
      long a = edges.get(i)[0];
      long b = edges.get(i)[1];
      if (a < 0 || b < 0 || a >= n || b >= n || a == b) throw new KilnException(RESOURCE + ": bad edge " + a + " " + b);
      index[i] = a;
      index[e + i] = b;
      index[2 * e + i] = b;
      index[3 * e + i] = a;
    }
    return new KarateClub(n, HostTensor.ofLongs(index, 2, 2L * e), HostTensor.ofLongs(labels, n));
  }
}
