/** The upgrade advisor's parts: reading Artifact Hub's change annotations and keeping its meters. */
package dev.helmsdk.core.internal.advisor;
