/** The testkit's internals, by what they serve (sub-packages), and the little they share. Not API. */
package dev.helmsdk.testkit.internal;
