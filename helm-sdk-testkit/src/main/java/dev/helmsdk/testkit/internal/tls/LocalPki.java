package dev.helmsdk.testkit.internal.tls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
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
  private static final Duration VALIDITY = Duration.ofDays(3650);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static volatile LocalPki shared;

  private record Issued(KeyPair keys, X509Certificate cert) {
  }

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
      ca = selfSignedCa("helm-sdk-testenv-ca");
      frontProxyCa = selfSignedCa("helm-sdk-testenv-front-proxy-ca");
      frontProxyClient = leaf(frontProxyCa, "front-proxy-client", List.of(), KeyPurposeId.id_kp_clientAuth, null);
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
      apiserver = leaf(ca, "kube-apiserver", List.of(), KeyPurposeId.id_kp_serverAuth, serverNames);
      serviceAccountKeys = newKeyPair();
      for (Identity id : IDENTITIES) {
        clients.put(id.file(), leaf(ca, id.user(), id.groups(), KeyPurposeId.id_kp_clientAuth, null));
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
      writeIssued(dir, "ca", ca);
      writeIssued(dir, "front-proxy-ca", frontProxyCa);
      writeIssued(dir, "front-proxy-client", frontProxyClient);
      writeIssued(dir, "apiserver", apiserver);
      writePrivate(dir.resolve("sa.key"), keyPem(serviceAccountKeys));
      Files.writeString(dir.resolve("sa.pub"),
          pem("PUBLIC KEY", serviceAccountKeys.getPublic().getEncoded()), StandardCharsets.US_ASCII);
      for (Identity id : IDENTITIES) {
        writeIssued(dir, id.file(), clients.get(id.file()));
        writePrivate(dir.resolve(id.file() + ".kubeconfig"), kubeConfig(id, server));
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
        + b64.encodeToString(certPem(client.cert()).getBytes(StandardCharsets.US_ASCII)) + "\n"
        + "    client-key-data: " + b64.encodeToString(keyPem(client.keys()).getBytes(StandardCharsets.US_ASCII))
        + "\n"
        + "preferences: {}\n";
  }

  /**
   * The cluster CA certificate in PEM.
   *
   * @return PEM text
   */
  public String caPem() {
    return certPem(ca.cert());
  }

  /**
   * The client certificate of an identity in PEM.
   *
   * @param id the identity
   * @return PEM text
   */
  public String certPem(Identity id) {
    return certPem(clients.get(id.file()).cert());
  }

  /**
   * The private key of an identity in PEM ({@code EC PRIVATE KEY}).
   *
   * @param id the identity
   * @return PEM text
   */
  public String keyPem(Identity id) {
    return keyPem(clients.get(id.file()).keys());
  }

  /**
   * A server-side TLS context presenting the API server certificate (localhost, 127.0.0.1, ::1), for
   * the testkit's fake chart sources: clients trust it through {@link #caPem()}.
   *
   * @return the context
   */
  public SSLContext serverSslContext() {
    return context(apiserver, "server", null);
  }

  /**
   * A TLS context that trusts the cluster CA and presents an identity's client certificate, for the JDK's
   * {@code HttpClient}.
   *
   * @param id the identity
   * @return the context
   */
  public SSLContext sslContext(Identity id) {
    return context(clients.get(id.file()), "client", id.user());
  }

  /**
   * Key managers presenting the API server certificate (localhost, 127.0.0.1, ::1), for a server of the testkit's
   * own that clients trust through {@link #caPem()}.
   *
   * @return the key managers
   */
  public KeyManagerFactory serverKeyManagers() {
    try {
      return keyManagers(apiserver, "server");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not build the server's key managers", e);
    }
  }

  private KeyManagerFactory keyManagers(Issued own, String alias) throws GeneralSecurityException, IOException {
    char[] password = "testkit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(alias, own.keys().getPrivate(), password, new Certificate[] {own.cert(), ca.cert()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    return kmf;
  }

  /** A context presenting {@code own} (with the CA in its chain) and trusting the CA. */
  private SSLContext context(Issued own, String alias, String who) {
    try {
      KeyManagerFactory kmf = keyManagers(own, alias);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.cert());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not build a TLS context for " + (who == null ? alias : who), e);
    }
  }

  // ------------------------------------------------------------------ generation

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return gen.generateKeyPair();
  }

  private static Issued selfSignedCa(String cn)
      throws GeneralSecurityException, OperatorCreationException, CertIOException {
    KeyPair keys = newKeyPair();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    Instant now = Instant.now();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return new Issued(keys, sign(builder, keys.getPrivate()));
  }

  private static Issued leaf(Issued issuer, String cn, List<String> groups, KeyPurposeId purpose,
      GeneralNames altNames) throws GeneralSecurityException, OperatorCreationException, CertIOException {
    KeyPair keys = newKeyPair();
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    for (String group : groups) {
      subject.addRDN(BCStyle.O, group);
    }
    subject.addRDN(BCStyle.CN, cn);
    Instant now = Instant.now();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.cert(), serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject.build(), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
        .addExtension(Extension.authorityKeyIdentifier, false,
            ext.createAuthorityKeyIdentifier(issuer.cert()));
    if (altNames != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, altNames);
    }
    return new Issued(keys, sign(builder, issuer.keys().getPrivate()));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  // ------------------------------------------------------------------ PEM

  private static String certPem(X509Certificate cert) {
    try {
      return pem("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * SEC 1 {@code EC PRIVATE KEY} with the public key included: the JDK's PKCS#8 encoding leaves it out, and some
   * readers (BouncyCastle's {@code PEMParser}, which fabric8 uses for EC keys) want it.
   */
  private static String keyPem(KeyPair keys) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
      ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
      SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      ASN1Encodable params = info.getPrivateKeyAlgorithm().getParameters();
      ECPrivateKey full = new ECPrivateKey(256, inner.getKey(), new DERBitString(pub.getPublicKeyData().getBytes()),
          params);
      return pem("EC PRIVATE KEY", full.getEncoded());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeIssued(Path dir, String stem, Issued issued) throws IOException {
    Files.writeString(dir.resolve(stem + ".crt"), certPem(issued.cert()), StandardCharsets.US_ASCII);
    writePrivate(dir.resolve(stem + ".key"), keyPem(issued.keys()));
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.US_ASCII);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
