package dev.helmsdk.core.internal;

import dev.helmsdk.api.Operation;
import org.awaitility.Awaitility;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Run in a child JVM by {@link TwoProcessLockContract}: takes a release's lock (as the SDK's changes do) in a loop,
 * appending its name to a shared file while it holds it, 100 ms each time (a quick change). Args: kubeconfig path,
 * namespace, release, rounds, shared file, name, go file (it starts once that exists). Prints {@code READY}, then
 * {@code DONE} or {@code ERROR <exception>}.
 */
public final class LockLoopChild {

    private LockLoopChild() {
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
        String namespace = args[1];
        String release = args[2];
        int rounds = Integer.parseInt(args[3]);
        Path order = Path.of(args[4]);
        String name = args[5];
        Path go = Path.of(args[6]);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (KubernetesClient kube = new KubernetesClientBuilder().withConfig(config).build();
             ReleaseLocks locks = new ReleaseLocks(BoundedClient.unbounded(kube), true, timer)) {
            kube.leases().inNamespace(namespace).list(); // connected before the start signal
            System.out.println("READY");
            System.out.flush();
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> Files.exists(go));
            for (int i = 0; i < rounds; i++) {
                try (HeldRelease held = locks.acquire(Operation.UPGRADE, namespace, release, Duration.ofSeconds(30))) {
                    Files.writeString(order, name + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    Thread.sleep(100); // holds the release a while: the other process must queue meanwhile
                }
            }
            System.out.println("DONE");
        } catch (Exception e) {
            System.out.println("ERROR " + e);
        } finally {
            timer.shutdownNow();
        }
        System.out.flush();
        System.exit(0);
    }
}
