package dev.helmsdk.testkit.internal.tls;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.operator.OperatorCreationException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificates and keys of a test control plane, generated in Java with BouncyCastle so that any
 * {@code kube-apiserver}/{@code etcd} (envtest's downloads too, which have no {@code pki} tool) can be used. Writes the
 * same files, with the same names, as {@code k8s-testenv pki} (see {@code controlplane/README.md}), except that the
 * keys are ECDSA P-256 instead of RSA-2048: generating them takes milliseconds, and every component (Go's crypto,
 * client-go, fabric8, helm-java) accepts them.
 *
 * <p>Keys and certificates do not depend on ports, so one set is generated per JVM ({@link #shared()}) and written
 * into each control plane's directory; kubeconfigs are rendered per server URL.
 */
public final class LocalPki {

  /**
   * A client identity: a certificate whose common name is the user and whose organizations are the groups.
   *
   * @param file   file name stem of its {@code .crt}, {@code .key} and {@code .kubeconfig}
   * @param user   user name the API server sees
   * @param groups groups the API server sees (besides {@code system:authenticated})
   */
  public record Identity(String file, String user, List<String> groups) {

    /**
     * Copies the groups.
     *
     * @param file   file name stem
     * @param user   user name
     * @param groups groups
     */
    public Identity {
      groups = List.copyOf(groups);
    }
  }

  /** Cluster-admin user {@code admin} (group {@code system:masters}): the tests' kubeconfig. */
  public static final Identity ADMIN = new Identity("admin", "admin", List.of("system:masters"));
  /** User {@code restricted} in no group: RBAC forbids it everything until a test binds a role to it. */
  public static final Identity RESTRICTED = new Identity("restricted", "restricted", List.of());
  /** The controller-manager's identity (bootstrap RBAC role {@code system:kube-controller-manager}). */
  public static final Identity CONTROLLER_MANAGER =
      new Identity("kube-controller-manager", "system:kube-controller-manager", List.of());
  /** The scheduler's identity (bootstrap RBAC role {@code system:kube-scheduler}). */
  public static final Identity SCHEDULER = new Identity("kube-scheduler", "system:kube-scheduler", List.of());
  /** KWOK's identity: admin, as kwokctl runs it, under its own name so the audit log tells it apart. */
  public static final Identity KWOK = new Identity("kwok", "kwok-controller", List.of("system:masters"));
  /**
   * The testkit's own identity (node creation, readiness checks): admin, but not {@link #ADMIN}, so that its requests
   * never show in the requests recorded for a test.
   */
  public static final Identity TESTKIT = new Identity("testkit", "helm-sdk-testkit", List.of("system:masters"));

  private static final List<Identity> IDENTITIES =
      List.of(ADMIN, RESTRICTED, CONTROLLER_MANAGER, SCHEDULER, KWOK, TESTKIT);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static volatile LocalPki shared;

  private final Issued ca;
  private final Issued frontProxyCa;
  private final Issued frontProxyClient;
  private final Issued apiserver;
  private final KeyPair serviceAccountKeys;
  private final Map<String, Issued> clients = new LinkedHashMap<>();
  private final Duration generationTime;

  private LocalPki() {
    long t0 = System.nanoTime();
    try {
      ca = CertificateIssuer.selfSignedCa("helm-sdk-testenv-ca", RANDOM);
      frontProxyCa = CertificateIssuer.selfSignedCa("helm-sdk-testenv-front-proxy-ca", RANDOM);
      frontProxyClient = CertificateIssuer.leaf(frontProxyCa, "front-proxy-client", List.of(),
          KeyPurposeId.id_kp_clientAuth, null, RANDOM);
      GeneralNames serverNames = new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"),
          new GeneralName(GeneralName.dNSName, "kubernetes"),
          new GeneralName(GeneralName.dNSName, "kubernetes.default"),
          new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
          new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster"),
          new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster.local"),
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
          new GeneralName(GeneralName.iPAddress, "::1"),
          new GeneralName(GeneralName.iPAddress, "10.96.0.1"),
      });
      apiserver = CertificateIssuer.leaf(ca, "kube-apiserver", List.of(), KeyPurposeId.id_kp_serverAuth, serverNames,
          RANDOM);
      serviceAccountKeys = CertificateIssuer.newKeyPair(RANDOM);
      for (Identity id : IDENTITIES) {
        clients.put(id.file(), CertificateIssuer.leaf(ca, id.user(), id.groups(), KeyPurposeId.id_kp_clientAuth,
            null, RANDOM));
      }
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("Could not generate the test control plane's certificates", e);
    }
    generationTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  /**
   * The key material of this JVM, generated on first use.
   *
   * @return the shared instance
   */
  public static LocalPki shared() {
    LocalPki p = shared;
    if (p == null) {
      synchronized (LocalPki.class) {
        p = shared;
        if (p == null) {
          p = new LocalPki();
          shared = p;
        }
      }
    }
    return p;
  }

  /**
   * How long generating the keys and certificates took.
   *
   * @return the duration
   */
  public Duration generationTime() {
    return generationTime;
  }

  /**
   * Writes {@code ca.crt/.key}, {@code front-proxy-ca.crt/.key}, {@code front-proxy-client.crt/.key},
   * {@code apiserver.crt/.key}, {@code sa.key}, {@code sa.pub}, and for every identity {@code NAME.crt},
   * {@code NAME.key} and {@code NAME.kubeconfig} (for the given server) into a directory.
   *
   * @param dir    the directory, created if needed
   * @param server the API server URL for the kubeconfigs
   */
  public void writeTo(Path dir, URI server) {
    try {
      Files.createDirectories(dir);
      Pem.writeIssued(dir, "ca", ca);
      Pem.writeIssued(dir, "front-proxy-ca", frontProxyCa);
      Pem.writeIssued(dir, "front-proxy-client", frontProxyClient);
      Pem.writeIssued(dir, "apiserver", apiserver);
      Pem.writePrivate(dir.resolve("sa.key"), Pem.key(serviceAccountKeys));
      Files.writeString(dir.resolve("sa.pub"),
          Pem.pem("PUBLIC KEY", serviceAccountKeys.getPublic().getEncoded()), StandardCharsets.US_ASCII);
      for (Identity id : IDENTITIES) {
        Pem.writeIssued(dir, id.file(), clients.get(id.file()));
        Pem.writePrivate(dir.resolve(id.file() + ".kubeconfig"), kubeConfig(id, server));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the control plane's certificates to " + dir, e);
    }
  }

  /**
   * A kubeconfig for an identity with the CA, client certificate and key embedded: cluster {@code testenv}, user
   * named like the identity's file, context {@code NAME@testenv}, no namespace.
   *
   * @param id     the identity
   * @param server the API server URL
   * @return kubeconfig YAML
   */
  public String kubeConfig(Identity id, URI server) {
    Issued client = clients.get(id.file());
    Base64.Encoder b64 = Base64.getEncoder();
    String context = id.file() + "@testenv";
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: testenv\n"
        + "  cluster:\n"
        + "    server: " + server + "\n"
        + "    certificate-authority-data: " + b64.encodeToString(caPem().getBytes(StandardCharsets.US_ASCII)) + "\n"
        + "contexts:\n"
        + "- name: " + context + "\n"
        + "  context:\n"
        + "    cluster: testenv\n"
        + "    user: " + id.file() + "\n"
        + "current-context: " + context + "\n"
        + "users:\n"
        + "- name: " + id.file() + "\n"
        + "  user:\n"
        + "    client-certificate-data: "
        + b64.encodeToString(Pem.cert(client.cert()).getBytes(StandardCharsets.US_ASCII)) + "\n"
        + "    client-key-data: " + b64.encodeToString(Pem.key(client.keys()).getBytes(StandardCharsets.US_ASCII))
        + "\n"
        + "preferences: {}\n";
  }

  /**
   * The cluster CA certificate in PEM.
   *
   * @return PEM text
   */
  public String caPem() {
    return Pem.cert(ca.cert());
  }

  /**
   * The client certificate of an identity in PEM.
   *
   * @param id the identity
   * @return PEM text
   */
  public String certPem(Identity id) {
    return Pem.cert(clients.get(id.file()).cert());
  }

  /**
   * The private key of an identity in PEM ({@code EC PRIVATE KEY}).
   *
   * @param id the identity
   * @return PEM text
   */
  public String keyPem(Identity id) {
    return Pem.key(clients.get(id.file()).keys());
  }

  /**
   * A server-side TLS context presenting the API server certificate (localhost, 127.0.0.1, ::1), for
   * the testkit's fake chart sources: clients trust it through {@link #caPem()}.
   *
   * @return the context
   */
  public SSLContext serverSslContext() {
    return TlsContexts.context(apiserver, ca, "server", null, RANDOM);
  }

  /**
   * A TLS context that trusts the cluster CA and presents an identity's client certificate, for the JDK's
   * {@code HttpClient}.
   *
   * @param id the identity
   * @return the context
   */
  public SSLContext sslContext(Identity id) {
    return TlsContexts.context(clients.get(id.file()), ca, "client", id.user(), RANDOM);
  }

  /**
   * Key managers presenting the API server certificate (localhost, 127.0.0.1, ::1), for a server of the testkit's
   * own that clients trust through {@link #caPem()}.
   *
   * @return the key managers
   */
  public KeyManagerFactory serverKeyManagers() {
    try {
      return TlsContexts.keyManagers(apiserver, ca, "server");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not build the server's key managers", e);
    }
  }
}
