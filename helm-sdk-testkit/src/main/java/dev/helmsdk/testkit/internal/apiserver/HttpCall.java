package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP exchange on the Vert.x server, handled off the event loop. Vert.x is used (rather than the JDK's
 * HttpServer) for TCP_NODELAY: the JDK server writes headers and body as separate segments without it, and with
 * Nagle plus delayed ACKs every response to client-go took 40 ms.
 */
final class HttpCall {

  private final HttpServerRequest request;
  private final byte[] body;
  private volatile boolean closed;

  HttpCall(HttpServerRequest request, byte[] body) {
    this.request = request;
    this.body = body;
    request.response().closeHandler(v -> closed = true);
    request.connection().closeHandler(v -> closed = true);
  }

  String method() {
    return request.method().name();
  }

  /** The raw request URI (path and query, still encoded). */
  String uri() {
    return request.uri();
  }

  String header(String name) {
    return request.getHeader(name);
  }

  byte[] body() {
    return body;
  }

  boolean isClosed() {
    return closed;
  }

  void send(int code, String contentType, byte[] bytes) {
    HttpServerResponse response = request.response();
    response.setStatusCode(code);
    if (contentType != null) {
      response.putHeader("Content-Type", contentType);
    }
    if (bytes.length == 0 || "HEAD".equals(method())) {
      response.end();
    } else {
      response.end(Buffer.buffer(bytes));
    }
  }

  void sendJson(int code, JsonNode body) {
    send(code, "application/json", Json.bytes(body));
  }

  void sendText(int code, String text) {
    send(code, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Starts a chunked 200 response whose body is written piecewise with {@link #write}. */
  void startStream(String contentType) {
    HttpServerResponse response = request.response();
    response.setStatusCode(200);
    response.putHeader("Content-Type", contentType);
    response.setChunked(true);
    // Headers go out now: client-go waits for them before it reports the watch as established.
    response.write(Buffer.buffer());
  }

  void write(byte[] bytes) throws IOException {
    if (closed) {
      throw new IOException("client closed the connection");
    }
    request.response().write(Buffer.buffer(bytes));
  }

  void end() {
    if (!closed) {
      request.response().end();
    }
  }
}
