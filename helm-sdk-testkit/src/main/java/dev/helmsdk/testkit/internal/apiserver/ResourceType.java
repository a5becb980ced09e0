package dev.helmsdk.testkit.internal.apiserver;

import java.util.List;
import java.util.Objects;

/**
 * One served resource (group, version, plural) with what discovery says about it.
 *
 * @param group         API group, empty for the core group
 * @param version       API version
 * @param plural        resource name as used in paths
 * @param singular      singular name
 * @param kind          object kind
 * @param namespaced    whether objects live in a namespace
 * @param shortNames    kubectl short names
 * @param subresources  served subresources (for example {@code status}, {@code scale})
 * @param categories    discovery categories (for example {@code all})
 */
public record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> subresources,
    List<String> categories) {

  /** Validates and copies. */
  public ResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(kind, "kind");
    singular = singular == null ? kind.toLowerCase(java.util.Locale.ROOT) : singular;
    shortNames = List.copyOf(shortNames);
    subresources = List.copyOf(subresources);
    categories = List.copyOf(categories);
  }

  /** {@code apps/v1} or {@code v1}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code deployments.apps} or {@code pods}, as real API error messages name a resource. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** True when writes to the main resource must not change {@code status} (status subresource). */
  public boolean hasStatusSubresource() {
    return subresources.contains("status");
  }

  /** Path prefix for this group version: {@code /api/v1} or {@code /apis/apps/v1}. */
  public String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** Collection path, with the namespace when namespaced. */
  public String collectionPath(String namespace) {
    if (namespaced && namespace != null) {
      return groupVersionPath() + "/namespaces/" + namespace + "/" + plural;
    }
    return groupVersionPath() + "/" + plural;
  }

  /** Object path. */
  public String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }

  /** True for the given group and kind. */
  public boolean is(String group, String kind) {
    return this.group.equals(group) && this.kind.equals(kind);
  }
}
