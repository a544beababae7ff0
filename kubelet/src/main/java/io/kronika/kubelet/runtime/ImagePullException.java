package io.kronika.kubelet.runtime;

/** An image could not be pulled (ErrImagePull); the message is the registry's or the engine's. */
public final class ImagePullException extends RuntimeFailure {
    public ImagePullException(String message) {
        super("ErrImagePull", message);
    }

    public ImagePullException(String message, Throwable cause) {
        super("ErrImagePull", message, cause);
    }
}
