package dev.helmsdk.testkit;

import java.time.Instant;
import java.util.Objects;

/**
 * One HTTP request received by {@link EmbeddedKubernetes}, as recorded in {@link EmbeddedKubernetes#requests()}.
 *
 * @param method      HTTP method, for example {@code POST}
 * @param path        request path without the query, as sent (URL-encoded), for example
 *                    {@code /apis/apps/v1/namespaces/default/deployments}
 * @param query       raw query string without the {@code ?}; empty when there was none
 * @param contentType the request's {@code Content-Type} header; empty when absent
 * @param time        when the request arrived
 */
public record RecordedRequest(String method, String path, String query, String contentType, Instant time) {

  /** Validates that no component is null. */
  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(time, "time");
  }

  /**
   * Whether this is a request with the given method whose path ends with the given suffix, a convenience for
   * assertions such as {@code r.matches("POST", "/deployments")}.
   *
   * @param method     HTTP method to compare (case-insensitive)
   * @param pathSuffix suffix the path must end with
   * @return true when both match
   */
  public boolean matches(String method, String pathSuffix) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(pathSuffix, "pathSuffix");
    return this.method.equalsIgnoreCase(method) && path.endsWith(pathSuffix);
  }
}
