package io.kronika.kubelet.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * An {@link ExecSession} over streams a runtime has already opened. With a tty there is no stderr (it is merged into
 * stdout), whatever stream is given for it.
 */
public final class StreamExecSession implements ExecSession {
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final CompletableFuture<Integer> exitCode;
    private final BiConsumer<Integer, Integer> resize;
    private final Runnable close;

    /**
     * @param stdin  null when stdin was not asked for
     * @param resize what a terminal resize does (width, height)
     * @param close  what closing the session does
     */
    public StreamExecSession(OutputStream stdin, InputStream stdout, InputStream stderr, boolean tty,
                             CompletableFuture<Integer> exitCode, BiConsumer<Integer, Integer> resize, Runnable close) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = tty ? null : stderr;
        this.exitCode = exitCode;
        this.resize = resize;
        this.close = close;
    }

    /** A session whose terminal cannot be resized. */
    public StreamExecSession(OutputStream stdin, InputStream stdout, InputStream stderr, boolean tty,
                             CompletableFuture<Integer> exitCode, Runnable close) {
        this(stdin, stdout, stderr, tty, exitCode, (width, height) -> { }, close);
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public CompletableFuture<Integer> exitCode() {
        return exitCode;
    }

    @Override
    public void resize(int width, int height) {
        resize.accept(width, height);
    }

    @Override
    public void close() {
        close.run();
    }
}
