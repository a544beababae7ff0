package io.kronika.kubelet.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pod IPs from a loopback range (default 127.1.0.0/16), shared by every process-runtime kubelet of the machine:
 * an address is taken by creating the file named after it in a common directory (atomic), released by deleting it.
 * Each file names its owner, so a restarted kubelet keeps the addresses of the sandboxes it adopts.
 */
public final class Ipam {
    private final Path dir;
    private final int base;
    private final int size;

    /** {@code cidr} like 127.1.0.0/16. */
    public Ipam(Path dir, String cidr) {
        this.dir = dir;
        String[] parts = cidr.split("/");
        this.base = toInt(parts[0]);
        int prefix = Integer.parseInt(parts[1]);
        this.size = 1 << (32 - prefix);
    }

    public synchronized String allocate(String owner) throws IOException {
        Files.createDirectories(dir);
        int start = Math.floorMod(owner.hashCode(), size - 2) + 1;
        for (int i = 0; i < size - 2; i++) {
            int offset = 1 + Math.floorMod(start - 1 + i, size - 2);
            String ip = toIp(base + offset);
            if (ip.endsWith(".0") || ip.endsWith(".255")) {
                continue;
            }
            try {
                Files.writeString(dir.resolve(ip), owner, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return ip;
            } catch (FileAlreadyExistsException e) {
                // taken
            }
        }
        throw new IOException("no free address in the pod range");
    }

    public void release(String ip) {
        try {
            Files.deleteIfExists(dir.resolve(ip));
        } catch (IOException ignored) {
            // best effort
        }
    }

    static int toInt(String ip) {
        String[] o = ip.split("\\.");
        return (Integer.parseInt(o[0]) << 24) | (Integer.parseInt(o[1]) << 16) | (Integer.parseInt(o[2]) << 8) | Integer.parseInt(o[3]);
    }

    static String toIp(int v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }
}
