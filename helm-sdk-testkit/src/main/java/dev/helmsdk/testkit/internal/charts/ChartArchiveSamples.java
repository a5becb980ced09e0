package dev.helmsdk.testkit.internal.charts;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Chart archives for tests of the SDK's archive check, built with Commons Compress' writers (or raw
 * bytes where a writer would refuse): one hostile kind each, otherwise a valid chart (a Chart.yaml
 * and a ConfigMap template), and legitimate archives that use PAX headers or GNU long names.
 * Not part of the testkit's API.
 */
public final class ChartArchiveSamples {

  /** Uncompressed size of {@link Kind#GZIP_BOMB}'s one file: 4 GiB. */
  public static final long BOMB_BYTES = 4L << 30;

  /** An archive kind; {@link #hostile()} says whether the SDK must refuse it. */
  public enum Kind {
    ABSOLUTE_PATH(true),
    PARENT_TRAVERSAL(true),
    SYMLINK(true),
    HARD_LINK(true),
    CHAR_DEVICE(true),
    BLOCK_DEVICE(true),
    FIFO(true),
    TWO_TOP_DIRECTORIES(true),
    FILE_OUTSIDE_TOP(true),
    NO_CHART_YAML(true),
    /** One 4 GiB file of zeros in about 4 MiB of gzip (concatenated members). */
    GZIP_BOMB(true),
    /** Many 4 MiB files of zeros: each under Helm's per-file limit, 1000:1 compression. */
    RATIO_BOMB(true),
    /** More entries than the limit of 5,000. */
    TOO_MANY_ENTRIES(true),
    /** A valid archive cut in the middle of its gzip stream. */
    TRUNCATED_GZIP(true),
    /** A complete gzip stream of a tar cut in the middle of a file. */
    TRUNCATED_TAR(true),
    /** An uncompressed tar. */
    NOT_GZIP(true),
    /** A path over 100 characters, written with PAX headers. */
    PAX_LONG_NAMES(false),
    /** A path over 100 characters, written with GNU long-name entries. */
    GNU_LONG_NAMES(false);

    private final boolean hostile;

    Kind(boolean hostile) {
      this.hostile = hostile;
    }

    /** Whether the SDK must refuse it. */
    public boolean hostile() {
      return hostile;
    }

    /** The chart's name (and top directory): the kind in lower case, with dashes. */
    public String chartName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The archive's file name, {@code <chartName>-1.0.0.tgz}, as the fake sources expect. */
    public String fileName() {
      return chartName() + "-1.0.0.tgz";
    }
  }

  /** The name of the ConfigMap the legitimate samples deploy. */
  public static String configMapName(Kind kind) {
    return kind.chartName() + "-cm";
  }

  private ChartArchiveSamples() {
  }

  /** Writes {@code kind} into {@code dir} as {@link Kind#fileName()}; returns the file. */
  public static Path write(Kind kind, Path dir) {
    try {
      return Files.write(dir.resolve(kind.fileName()), bytes(kind));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The archive's bytes. */
  public static byte[] bytes(Kind kind) {
    try {
      return build(kind);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] build(Kind kind) throws IOException {
    String top = kind.chartName();
    switch (kind) {
      case GZIP_BOMB:
        return gzipBomb(top);
      case TRUNCATED_GZIP: {
        byte[] whole = gzipTar(top, t -> file(t, top + "/files/random.bin", random(256 * 1024)));
        return Arrays.copyOf(whole, whole.length / 2);
      }
      case TRUNCATED_TAR: {
        byte[] tar = tar(top, t -> file(t, top + "/files/random.bin", random(64 * 1024)));
        return gzip(Arrays.copyOf(tar, tar.length - 40 * 1024));
      }
      case NOT_GZIP:
        return tar(top, t -> { });
      default:
        return gzipTar(top, t -> hostile(kind, top, t));
    }
  }

  private static void hostile(Kind kind, String top, TarArchiveOutputStream t) throws IOException {
    switch (kind) {
      case ABSOLUTE_PATH -> file(t, "/etc/" + top + "/templates/abs.yaml", configMap(top + "-abs"));
      case PARENT_TRAVERSAL -> file(t, top + "/../../outside.yaml", configMap(top + "-up"));
      case SYMLINK -> link(t, top + "/templates/passwd.yaml", "/etc/passwd", TarConstants.LF_SYMLINK);
      case HARD_LINK -> link(t, top + "/templates/passwd.yaml", "/etc/passwd", TarConstants.LF_LINK);
      case CHAR_DEVICE -> device(t, top + "/templates/zero", TarConstants.LF_CHR);
      case BLOCK_DEVICE -> device(t, top + "/templates/sda", TarConstants.LF_BLK);
      case FIFO -> device(t, top + "/templates/pipe", TarConstants.LF_FIFO);
      case TWO_TOP_DIRECTORIES -> {
        file(t, "other/Chart.yaml", chartYaml("other"));
        file(t, "other/templates/cm.yaml", configMap("other-cm"));
      }
      case FILE_OUTSIDE_TOP -> file(t, "README.md", "outside\n".getBytes(StandardCharsets.UTF_8));
      case NO_CHART_YAML -> { } // handled by tar(): no Chart.yaml written
      case RATIO_BOMB -> {
        byte[] zeros = new byte[4 << 20];
        for (int i = 0; i < 24; i++) {
          file(t, top + "/files/zeros-" + i + ".bin", zeros);
        }
      }
      case TOO_MANY_ENTRIES -> {
        for (int i = 0; i < 5_000; i++) {
          file(t, top + "/files/f" + i, new byte[0]);
        }
      }
      case PAX_LONG_NAMES, GNU_LONG_NAMES -> file(t, top + "/templates/" + "a-very-long-directory-name/".repeat(5) + "cm.yaml",
          configMap(configMapName(kind)));
      default -> throw new IllegalArgumentException(kind.name());
    }
  }

  private interface Body {
    void write(TarArchiveOutputStream t) throws IOException;
  }

  /** A tar of a valid chart in {@code top} (Chart.yaml and a template) plus what {@code extra} adds. */
  private static byte[] tar(String top, Body extra) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tar(out, top, extra);
    return out.toByteArray();
  }

  /** The same, gzip-compressed as it is written (a bomb's tar is never held uncompressed). */
  private static byte[] gzipTar(String top, Body extra) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tar(new GzipCompressorOutputStream(out, new GzipParameters()), top, extra);
    return out.toByteArray();
  }

  private static void tar(OutputStream out, String top, Body extra) throws IOException {
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      boolean gnu = top.equals(Kind.GNU_LONG_NAMES.chartName());
      t.setLongFileMode(gnu ? TarArchiveOutputStream.LONGFILE_GNU : TarArchiveOutputStream.LONGFILE_POSIX);
      t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      if (top.equals(Kind.PAX_LONG_NAMES.chartName())) {
        t.setAddPaxHeadersForNonAsciiNames(true);
      }
      TarArchiveEntry dir = new TarArchiveEntry(top + "/");
      t.putArchiveEntry(dir);
      t.closeArchiveEntry();
      if (!top.equals(Kind.NO_CHART_YAML.chartName())) {
        file(t, top + "/Chart.yaml", chartYaml(top));
      }
      if (!top.equals(Kind.PAX_LONG_NAMES.chartName()) && !top.equals(Kind.GNU_LONG_NAMES.chartName())) {
        file(t, top + "/templates/cm.yaml", configMap(top + "-cm"));
      }
      extra.write(t);
    }
  }

  private static void file(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setMode(0644);
    t.putArchiveEntry(e);
    t.write(data);
    t.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream t, String name, String target, byte flag) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setLinkName(target);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  private static void device(TarArchiveOutputStream t, String name, byte flag) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
    e.setDevMajor(1);
    e.setDevMinor(5);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  private static byte[] chartYaml(String name) {
    return ("apiVersion: v2\nname: " + name + "\nversion: 1.0.0\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] configMap(String name) {
    return ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  release: {{ .Release.Name | quote }}\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(42).nextBytes(b);
    return b;
  }

  /** gzip with the default level. */
  public static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GzipCompressorOutputStream(out, new GzipParameters())) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /**
   * A valid chart followed by a 4 GiB file of zeros, as concatenated gzip members (which gzip
   * readers, Helm's included, read as one stream): the first holds the tar headers, each further
   * member 16 MiB of zeros.
   */
  private static byte[] gzipBomb(String top) throws IOException {
    ByteArrayOutputStream tarHead = new ByteArrayOutputStream();
    rawEntry(tarHead, top + "/Chart.yaml", chartYaml(top));
    rawEntry(tarHead, top + "/templates/cm.yaml", configMap(top + "-cm"));
    TarArchiveEntry huge = new TarArchiveEntry(top + "/files/zeros.bin", true);
    huge.setSize(BOMB_BYTES);
    byte[] header = new byte[512];
    huge.writeEntryHeader(header);
    tarHead.write(header);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(gzip(tarHead.toByteArray()));
    byte[] member = gzip(new byte[16 << 20]);
    for (long written = 0; written < BOMB_BYTES; written += 16 << 20) {
      out.write(member);
    }
    return out.toByteArray();
  }

  /** One tar entry as raw blocks: header, data, padding to 512 bytes. */
  private static void rawEntry(ByteArrayOutputStream out, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    e.setMode(0644);
    byte[] header = new byte[512];
    e.writeEntryHeader(header);
    out.write(header);
    out.write(data);
    out.write(new byte[(512 - data.length % 512) % 512]);
  }
}
