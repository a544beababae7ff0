package io.kronika.kubelet.runtime;

/** The outcome of a command run to completion in a container; exit code -1 when it timed out or could not run. */
public record ExecResult(int exitCode, String output, boolean timedOut) {
    public boolean success() {
        return exitCode == 0 && !timedOut;
    }
}
