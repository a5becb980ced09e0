package dev.helmsdk.testkit.internal.tls;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

/** PEM text of certificates and keys, and PEM files (private ones readable by their owner only). */
final class Pem {

  private Pem() {
  }

  static String cert(X509Certificate cert) {
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
  static String key(KeyPair keys) {
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

  static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Writes {@code stem.crt} and {@code stem.key}. */
  static void writeIssued(Path dir, String stem, Issued issued) throws IOException {
    Files.writeString(dir.resolve(stem + ".crt"), cert(issued.cert()), StandardCharsets.US_ASCII);
    writePrivate(dir.resolve(stem + ".key"), key(issued.keys()));
  }

  static void writePrivate(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.US_ASCII);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
