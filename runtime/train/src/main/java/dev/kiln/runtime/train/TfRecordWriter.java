package dev.kiln.runtime.train;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends records in TensorFlow's TFRecord framing, the container of TensorBoard event files: per record a
 * little-endian uint64 length, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of
 * the data. Each record goes to the file in one write, so a reader (TensorBoard polls the file while
 * training runs) sees whole records or a short tail it retries later, never a record with holes.
 */
final class TfRecordWriter implements Closeable {
  private final FileChannel channel;

  /** Creates {@code file} (it must not exist: event files are never overwritten). */
  TfRecordWriter(Path file) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  /** Appends one record holding {@code data}. */
  void write(byte[] data) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc(data, 0, data.length));
    b.flip();
    while (b.hasRemaining()) channel.write(b);
  }

  /** Pushes what was written to the disk (the OS has it already; this survives a machine crash). */
  void sync() throws IOException { channel.force(false); }

  @Override public void close() throws IOException { channel.close(); }

  /**
   * TFRecord's masked CRC-32C: the checksum rotated right by 15 bits plus 0xa282ead8, so that a CRC of
   * data that itself holds CRCs stays well distributed (tensorflow/core/lib/hash/crc32c.h).
   */
  static int maskedCrc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }
}
