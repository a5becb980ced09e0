package dev.helmsdk.testkit.internal.controlplane;

/**
 * The test control plane did not become ready. The message names the component and step that failed and ends with
 * the tail of that component's log.
 */
public final class ControlPlaneStartException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** Whether a component could not bind its port. */
  private final boolean portConflict;

  ControlPlaneStartException(String message, boolean portConflict, Throwable cause) {
    super(message, cause);
    this.portConflict = portConflict;
  }

  /**
   * Whether a component could not bind its port (another process took it between choosing and binding), in which
   * case starting again with new ports usually works.
   *
   * @return true for a port conflict
   */
  public boolean portConflict() {
    return portConflict;
  }
}
