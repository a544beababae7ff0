package io.kronika.kubelet.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** Capacity and identity of this machine, read from /proc and /etc as the kubelet's cadvisor does. */
public final class HostFacts {
    private HostFacts() {
    }

    public static NodeFacts read(Path stateDir, String internalIp) {
        long cpu = Runtime.getRuntime().availableProcessors() * 1000L;
        long memory = memTotal();
        long disk = 0;
        try {
            disk = Files.getFileStore(stateDir != null && Files.exists(stateDir) ? stateDir : Path.of("/")).getTotalSpace();
        } catch (IOException ignored) {
            // unknown
        }
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
        return new NodeFacts(cpu, memory, disk, "linux", arch, firstLine("/proc/sys/kernel/osrelease", System.getProperty("os.version")),
                osImage(), firstLine("/etc/machine-id", UUID.randomUUID().toString().replace("-", "")),
                firstLine("/proc/sys/kernel/random/boot_id", UUID.randomUUID().toString()), internalIp);
    }

    static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return Runtime.getRuntime().maxMemory();
    }

    static String osImage() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "Linux";
    }

    static String firstLine(String file, String fallback) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            return lines.isEmpty() ? fallback : lines.get(0).trim();
        } catch (IOException e) {
            return fallback;
        }
    }
}
