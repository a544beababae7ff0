package io.kronika.launcher.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds etcd, installing Debian's etcd-server package (etcd 3.4) with apt-get when it is missing. */
final class EtcdInstaller {
    static final Path BINARY = Path.of("/usr/bin/etcd");
    private static final List<String> INSTALL = List.of("apt-get", "install", "-y", "--no-install-recommends", "etcd-server");

    private EtcdInstaller() {
    }

    static Path ensureInstalled(Progress progress) throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        progress.line("etcd: " + BINARY + " is missing; installing Debian's etcd-server: " + String.join(" ", INSTALL));
        String output = run(INSTALL);
        if (output != null) {
            progress.line("etcd: that failed; running apt-get update and trying once more");
            run(List.of("apt-get", "update"));
            output = run(INSTALL);
        }
        if (output != null || !Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Could not install etcd (" + String.join(" ", INSTALL) + "):\n" + tail(output)
                    + "\nInstall it yourself (scripts/install-etcd.sh, as root) or pass --skip-etcd.");
        }
        progress.line("etcd: installed " + BINARY);
        return BINARY;
    }

    /** Runs {@code command}; null on success, else its output. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return "cannot run " + command.get(0) + ": " + e.getMessage();
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return "timed out";
        }
        return process.exitValue() == 0 ? null : new String(out, StandardCharsets.UTF_8);
    }

    private static String tail(String text) {
        if (text == null) {
            return "(" + BINARY + " still missing after the install)";
        }
        String[] lines = text.strip().split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 15), lines.length));
    }
}
