package dev.helmsdk.testkit.internal.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;

/** JDK TLS material from issued keys: key managers presenting a certificate, and contexts that trust the CA. */
final class TlsContexts {

  private TlsContexts() {
  }

  /** Key managers presenting {@code own} with the CA in its chain. */
  static KeyManagerFactory keyManagers(Issued own, Issued ca, String alias)
      throws GeneralSecurityException, IOException {
    char[] password = "testkit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(alias, own.keys().getPrivate(), password, new Certificate[] {own.cert(), ca.cert()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    return kmf;
  }

  /** A context presenting {@code own} (with the CA in its chain) and trusting the CA. */
  static SSLContext context(Issued own, Issued ca, String alias, String who, SecureRandom random) {
    try {
      KeyManagerFactory kmf = keyManagers(own, ca, alias);
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.cert());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("Could not build a TLS context for " + (who == null ? alias : who), e);
    }
  }
}
