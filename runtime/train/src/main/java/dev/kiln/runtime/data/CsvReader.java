package dev.kiln.runtime.data;

import dev.kiln.spec.KilnException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a comma-separated file as RFC 4180 defines it: fields in double quotes may hold commas, line breaks and
 * doubled quotes ({@code ""}); LF or CRLF line ends; a UTF-8 byte-order mark is skipped; blank lines are
 * skipped; the first row is the header. Every row must have the header's field count. Errors name the file,
 * the line and, where it applies, the column. (No CSV library resolves offline in this build, hence this.)
 */
final class CsvReader {
  private CsvReader() {}

  /** The header and the rows, with the line each row starts on. */
  record Table(Path file, List<String> header, List<List<String>> rows, List<Integer> lines) {}

  static Table read(Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new KilnException("CSV file " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new KilnException("cannot read CSV file " + file + ": " + e.getMessage());
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    List<List<String>> records = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      int start = line;
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean blank = true;
      while (true) {
        if (i < n && text.charAt(i) == '"') {
          blank = false;
          int quoteLine = line;
          i++;
          while (true) {
            if (i >= n) throw new KilnException(file + ": line " + quoteLine + ", column " + (fields.size() + 1) + ": quoted field never closed");
            char c = text.charAt(i++);
            if (c == '"') {
              if (i < n && text.charAt(i) == '"') {
                f.append('"');
                i++;
              } else {
                break;
              }
            } else {
              if (c == '\n') line++;
              f.append(c);
            }
          }
          if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            throw new KilnException(file + ": line " + line + ", column " + (fields.size() + 1) + ": text after a closing quote");
          }
        } else {
          while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
            char c = text.charAt(i++);
            if (c == '"') throw new KilnException(file + ": line " + line + ", column " + (fields.size() + 1) + ": a quote inside an unquoted field");
            f.append(c);
            blank = false;
          }
        }
        fields.add(f.toString());
        f.setLength(0);
        if (i < n && text.charAt(i) == ',') {
          blank = false;
          i++;
          continue;
        }
        if (i < n && text.charAt(i) == '\r') i++;
        if (i < n && text.charAt(i) == '\n') i++;
        line++;
        break;
      }
      if (blank) continue;
      records.add(fields);
      lines.add(start);
    }
    if (records.isEmpty()) throw new KilnException("CSV file " + file + " is empty (it needs a header row)");
    List<String> header = records.get(0);
    for (int r = 1; r < records.size(); r++) {
      if (records.get(r).size() != header.size()) {
        throw new KilnException(file + ": line " + lines.get(r) + " has " + records.get(r).size() + " fields, the header has " + header.size());
      }
    }
    return new Table(file, header, records.subList(1, records.size()), lines.subList(1, lines.size()));
  }
}
