/**
 * The throwaway certificate authority every TLS server in the testkit uses (embedded API, control
 * plane, fake chart repository and registry): server and client certificates, PEM files, SSL
 * contexts. Not API.
 */
package dev.helmsdk.testkit.internal.tls;
