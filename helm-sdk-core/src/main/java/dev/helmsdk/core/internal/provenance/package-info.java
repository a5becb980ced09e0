/**
 * Helm provenance ({@code .prov}) verification behind {@link dev.helmsdk.core.ChartLifecycle#verify}: the clear-signed
 * message parsed as Go's {@code clearsign.Decode} and Helm's {@code parseMessageBlock} do, the signature checked against a
 * GnuPG keyring with Bouncy Castle's OpenPGP, the archive's sha256 compared with the signed {@code files:} block.
 */
package dev.helmsdk.core.internal.provenance;
