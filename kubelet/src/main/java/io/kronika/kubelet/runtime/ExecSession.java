package io.kronika.kubelet.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** An interactive stream into a container: exec or attach. */
public interface ExecSession extends AutoCloseable {
    /** Writes to the command's stdin; null when stdin was not asked for. */
    OutputStream stdin();

    InputStream stdout();

    /** Null with a tty (stderr is merged into stdout). */
    InputStream stderr();

    /** Completes with the exit code when the command ends (attach: when the container's process does). */
    CompletableFuture<Integer> exitCode();

    default void resize(int width, int height) {
    }

    @Override
    void close();
}
