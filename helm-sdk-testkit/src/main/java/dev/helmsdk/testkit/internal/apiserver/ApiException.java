package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An API error, rendered as a {@code Status} object so client-go's {@code apierrors.IsNotFound} etc. work. */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final String detailName;
  private final ResourceType type;

  ApiException(int code, String reason, String message, ResourceType type, String detailName) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.type = type;
    this.detailName = detailName;
  }

  static ApiException notFound(ResourceType type, String name) {
    return new ApiException(404, "NotFound", type.qualifiedName() + " \"" + name + "\" not found", type, name);
  }

  static ApiException namespaceNotFound(String namespace) {
    return new ApiException(404, "NotFound", "namespaces \"" + namespace + "\" not found", null, namespace);
  }

  static ApiException alreadyExists(ResourceType type, String name) {
    return new ApiException(409, "AlreadyExists", type.qualifiedName() + " \"" + name + "\" already exists", type, name);
  }

  static ApiException conflict(ResourceType type, String name) {
    return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + type.qualifiedName() + " \"" + name
        + "\": the object has been modified; please apply your changes to the latest version and try again", type, name);
  }

  static ApiException invalid(ResourceType type, String name, String message) {
    return new ApiException(422, "Invalid", type.kind() + " \"" + name + "\" is invalid: " + message, type, name);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message, null, null);
  }

  static ApiException pathNotFound() {
    return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null);
  }

  static ApiException methodNotAllowed(String method) {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource ("
        + method + ")", null, null);
  }

  static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, "UnsupportedMediaType", message, null, null);
  }

  static ApiException gone(String message) {
    return new ApiException(410, "Expired", message, null, null);
  }

  public int code() {
    return code;
  }

  ObjectNode toStatus() {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", getMessage());
    status.put("reason", reason);
    if (detailName != null || type != null) {
      ObjectNode details = status.putObject("details");
      if (detailName != null) {
        details.put("name", detailName);
      }
      if (type != null) {
        if (!type.group().isEmpty()) {
          details.put("group", type.group());
        }
        details.put("kind", type.plural());
      } else if ("NotFound".equals(reason) && detailName != null) {
        details.put("kind", "namespaces");
      }
    }
    status.put("code", code);
    return status;
  }
}
