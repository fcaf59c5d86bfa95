package dev.kiln.runtime.io;

import dev.kiln.spec.ModelFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the header of a NumPy {@code .npy} file: a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. It knows only the literals
 * such headers use (quoted strings, integers, {@code True}/{@code False}, tuples, lists and dicts),
 * so nothing in the file is ever evaluated.
 */
final class NpyHeader {
  /** The parsed fields. */
  record Fields(String descr, boolean fortranOrder, long[] shape) {}

  private static final int MAX_DEPTH = 8;
  private final String text;
  private final String source;
  private int pos;

  private NpyHeader(String text, String source) {
    this.text = text;
    this.source = source;
  }

  /** Parses and checks the three required keys; {@code source} names the file in errors. */
  static Fields parse(String text, String source) {
    NpyHeader p = new NpyHeader(text, source);
    p.skipSpace();
    Object v = p.value(0);
    p.skipSpace();
    if (p.pos != text.length()) throw p.error("unexpected text after the header dict");
    if (!(v instanceof Map<?, ?> m)) throw p.error("the header is not a dict");
    for (Object k : m.keySet()) {
      if (!k.equals("descr") && !k.equals("fortran_order") && !k.equals("shape")) {
        throw p.error("unexpected header key '" + k + "'");
      }
    }
    Object descr = m.get("descr");
    Object fortran = m.get("fortran_order");
    Object shape = m.get("shape");
    if (descr == null || fortran == null || shape == null) {
      throw p.error("the header must have the keys 'descr', 'fortran_order' and 'shape'");
    }
    if (descr instanceof List<?>) {
      throw p.error("structured (record) dtypes are not supported, only plain numeric and bool arrays");
    }
    if (!(descr instanceof String d)) throw p.error("'descr' must be a string, got " + descr);
    if (!(fortran instanceof Boolean f)) throw p.error("'fortran_order' must be True or False, got " + fortran);
    if (!(shape instanceof Tuple t)) throw p.error("'shape' must be a tuple, got " + shape);
    long[] dims = new long[t.items().size()];
    for (int i = 0; i < dims.length; i++) {
      if (!(t.items().get(i) instanceof Long n) || n < 0) {
        throw p.error("'shape' entries must be non-negative integers, got " + t.items().get(i));
      }
      dims[i] = n;
    }
    return new Fields(d, f, dims);
  }

  /** A parsed Python tuple (kept apart from lists: 'shape' must be a tuple). */
  private record Tuple(List<Object> items) {}

  private Object value(int depth) {
    if (depth > MAX_DEPTH) throw error("the header nests too deeply");
    if (pos >= text.length()) throw error("the header ends too early");
    char c = text.charAt(pos);
    switch (c) {
      case '{': return dict(depth);
      case '(': return new Tuple(sequence(')', depth));
      case '[': return sequence(']', depth);
      case '\'': case '"': return string();
      default:
        if (c == '-' || Character.isDigit(c)) return integer();
        if (text.startsWith("True", pos)) { pos += 4; return Boolean.TRUE; }
        if (text.startsWith("False", pos)) { pos += 5; return Boolean.FALSE; }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> dict(int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    skipSpace();
    while (peek() != '}') {
      if (peek() != '\'' && peek() != '"') throw error("dict keys must be strings");
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      if (m.put(key, value(depth + 1)) != null) throw error("duplicate header key '" + key + "'");
      skipSpace();
      if (peek() == ',') { pos++; skipSpace(); } else if (peek() != '}') throw error("expected ',' or '}' in the dict");
    }
    pos++;
    return m;
  }

  private List<Object> sequence(char close, int depth) {
    List<Object> items = new ArrayList<>();
    pos++;
    skipSpace();
    while (peek() != close) {
      items.add(value(depth + 1));
      skipSpace();
      if (peek() == ',') { pos++; skipSpace(); } else if (peek() != close) throw error("expected ',' or '" + close + "'");
    }
    pos++;
    return items;
  }

  private String string() {
    char quote = text.charAt(pos++);
    int start = pos;
    while (pos < text.length() && text.charAt(pos) != quote) {
      // NOTE: NumPy never escapes inside descr strings; refusing escapes keeps the parser trivial and exact.
      if (text.charAt(pos) == '\\' || text.charAt(pos) == '\n') throw error("escapes and newlines in strings are not supported");
      pos++;
    }
    if (pos >= text.length()) throw error("unterminated string");
    return text.substring(start, pos++);
  }

  private Long integer() {
    int start = pos;
    if (peek() == '-') pos++;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
    String digits = text.substring(start, pos);
    if (pos < text.length() && text.charAt(pos) == 'L') pos++; // Python 2 long suffix, as old NumPy wrote
    if (digits.isEmpty() || digits.equals("-") || digits.length() > 19) throw error("bad integer '" + digits + "'");
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error("integer out of range '" + digits + "'");
    }
  }

  private char peek() {
    if (pos >= text.length()) throw error("the header ends too early");
    return text.charAt(pos);
  }

  private void expect(char c) {
    if (peek() != c) throw error("expected '" + c + "'");
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n' || text.charAt(pos) == '\t'
        || text.charAt(pos) == '\r')) {
      pos++;
    }
  }

  private ModelFileException error(String what) {
    return new ModelFileException(source + ": bad .npy header: " + what + " at character " + pos);
  }
}
