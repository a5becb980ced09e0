/**
 * Inside {@link dev.helmsdk.testkit.EmbeddedKubernetes}: the in-process Kubernetes API server (HTTP
 * routing, JSON and protobuf, discovery, patches, selectors, watches, admission) and its object store.
 * The workloads it simulates live in {@code internal.workloads}. Not API.
 */
package dev.helmsdk.testkit.internal.apiserver;
