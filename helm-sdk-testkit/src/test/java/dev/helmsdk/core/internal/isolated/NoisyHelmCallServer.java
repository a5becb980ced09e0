package dev.helmsdk.core.internal.isolated;

import dev.helmsdk.core.internal.InProcessHelmCalls;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@link HelmCallServer} with stray output on file descriptor 1, as Helm's Go code could write it
 * (Go's {@code os.Stdout} is that descriptor, unaffected by {@code System.setOut}).
 *
 * <ul>
 *   <li>{@code noisy}: text before, between and after replies, with and without line ends, and
 *       through {@code System.out} (which the server sends to stderr).</li>
 *   <li>{@code interleave}: bytes land in the middle of every reply, as an unlucky concurrent
 *       write could; the SDK must notice, never parse them as part of the reply.</li>
 * </ul>
 */
public final class NoisyHelmCallServer {

    private NoisyHelmCallServer() {
    }

    public static void main(String[] args) throws IOException {
        boolean interleave = args.length > 0 && args[0].equals("interleave");
        OutputStream fd1 = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        fd1.write("Go says hello on stdout\npartial line without an end: ".getBytes(StandardCharsets.US_ASCII));
        fd1.flush();
        OutputStream protocol = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                fd1.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (interleave) {
                    int half = len / 2;
                    fd1.write(b, off, half);
                    fd1.write("[stray bytes]".getBytes(StandardCharsets.US_ASCII));
                    fd1.write(b, off + half, len - half);
                } else {
                    fd1.write("noise before a reply, no line end".getBytes(StandardCharsets.US_ASCII));
                    fd1.write(b, off, len);
                    fd1.write("noise after a reply\n{\"id\":1,\"error\":\"not a reply\"}\n".getBytes(StandardCharsets.US_ASCII));
                    System.out.println("System.out from the child, sent to stderr");
                }
            }
        };
        HelmCallServer.serve(new InProcessHelmCalls(), protocol);
    }
}
