package dev.helmsdk.testkit.internal.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The loopback ports of one control plane's components, chosen free at start.
 *
 * @param etcd              etcd's client port
 * @param etcdPeer          etcd's peer port
 * @param api               kube-apiserver's secure port
 * @param controllerManager kube-controller-manager's secure port
 * @param scheduler         kube-scheduler's secure port
 */
record ComponentPorts(int etcd, int etcdPeer, int api, int controllerManager, int scheduler) {

  /** Five distinct free ports; another process may still take one before it is bound (the caller retries then). */
  static ComponentPorts allocate() {
    int[] ports = freePorts(5);
    return new ComponentPorts(ports[0], ports[1], ports[2], ports[3], ports[4]);
  }

  private static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find free loopback ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }
}
