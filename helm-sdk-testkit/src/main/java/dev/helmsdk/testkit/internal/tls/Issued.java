package dev.helmsdk.testkit.internal.tls;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

/**
 * A key pair with the certificate issued for it.
 *
 * @param keys the key pair
 * @param cert its certificate
 */
record Issued(KeyPair keys, X509Certificate cert) {
}
