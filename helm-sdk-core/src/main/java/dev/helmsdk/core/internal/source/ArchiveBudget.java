package dev.helmsdk.core.internal.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The counts of one {@link ChartArchives} check and the first limit it broke, with the streams
 * that count. Commons Compress may catch and wrap what a stream throws, so the streams record the
 * reason here too, and it is reported whatever exception arrives. One check, one thread.
 */
final class ArchiveBudget {
    final ChartArchives.Limits limits;
    long compressed;
    long decompressed;
    long headerStart = -1;
    long compressedAtOutput;
    String tripped;

    ArchiveBudget(ChartArchives.Limits limits) {
        this.limits = limits;
    }

    IOException trip(String reason) {
        if (tripped == null) {
            tripped = reason;
        }
        return new IOException(tripped);
    }

    void startHeader() {
        headerStart = decompressed;
    }

    void endHeader() throws ChartArchives.Refused {
        headerStart = -1;
        failIfTripped();
    }

    void failIfTripped() throws ChartArchives.Refused {
        if (tripped != null) {
            throw new ChartArchives.Refused(tripped);
        }
    }

    void compressed(long n) throws IOException {
        compressed += n;
        if (compressed > limits.maxCompressedBytes()) {
            throw trip("it is more than the limit of " + limits.maxCompressedBytes() + " bytes for a chart archive");
        }
        if (compressed - compressedAtOutput > limits.maxMetadataBytes()) {
            // Empty deflate blocks or huge gzip header fields: work without output.
            throw trip("it has more than " + limits.maxMetadataBytes() + " compressed bytes that decompress to nothing");
        }
    }

    void decompressed(long n) throws IOException {
        decompressed += n;
        compressedAtOutput = compressed;
        if (decompressed > limits.maxStreamBytes()) {
            throw trip("it decompresses to more than " + limits.maxStreamBytes() + " bytes");
        }
        if (headerStart >= 0 && decompressed - headerStart > limits.maxMetadataBytes() + 1024) {
            throw trip("its tar metadata (PAX records or long names) before one entry is more than "
                    + limits.maxMetadataBytes() + " bytes");
        }
        long in = Math.max(1, compressed);
        if (decompressed > limits.ratioFloorBytes() && decompressed / in > limits.maxRatio()) {
            throw trip("it decompresses more than " + limits.maxRatio() + " times its compressed size ("
                    + decompressed + " bytes from " + in + "): a compression bomb");
        }
    }

    /** Where a {@link Counting} stream reports what was read; throws when a limit is passed. */
    interface Counter {
        void add(long bytes) throws IOException;
    }

    /** Reports every byte read (or skipped) to a {@link Counter}: the archive's as gzip reads them. */
    static class Counting extends FilterInputStream {
        private final Counter counter;

        Counting(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.add(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            counter.add(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /** The tar stream's bytes as tar reads them; skipped bytes are decompressed all the same, so they are read. */
    static final class Decompressed extends Counting {
        private final byte[] sink = new byte[8192];

        Decompressed(InputStream in, ArchiveBudget budget) {
            super(in, budget::decompressed);
        }

        @Override
        public long skip(long n) throws IOException {
            long done = 0;
            while (done < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }
}
