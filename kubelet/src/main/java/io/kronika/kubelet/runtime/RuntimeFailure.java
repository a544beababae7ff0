package io.kronika.kubelet.runtime;

/** A runtime could not do what was asked; {@code reason} is the Kubernetes reason to show (RunContainerError, …). */
public class RuntimeFailure extends Exception {
    private final String reason;

    public RuntimeFailure(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RuntimeFailure(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
