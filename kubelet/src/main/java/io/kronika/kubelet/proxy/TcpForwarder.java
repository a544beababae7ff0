package io.kronika.kubelet.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One listening socket (a ClusterIP:port or a NodePort) that joins every accepted connection to one of its backends,
 * round-robin over the ready ones; a backend that refuses is skipped for that connection. Backends are replaced as
 * the Service's endpoints change; connections already joined stay until either side closes (as with kube-proxy).
 */
final class TcpForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpForwarder.class);
    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final InetSocketAddress address;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final AtomicLong next = new AtomicLong();
    private volatile List<InetSocketAddress> backends;

    TcpForwarder(InetSocketAddress address, List<InetSocketAddress> backends, ExecutorService threads) throws IOException {
        this.address = address;
        this.backends = List.copyOf(backends);
        this.threads = threads;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 128);
        threads.execute(this::acceptLoop);
    }

    InetSocketAddress address() {
        return address;
    }

    void backends(List<InetSocketAddress> value) {
        this.backends = List.copyOf(value);
    }

    List<InetSocketAddress> backends() {
        return backends;
    }

    private void acceptLoop() {
        Thread.currentThread().setName("kube-proxy-accept-" + address);
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("accept on {} failed: {}", address, e.toString());
                }
                continue;
            }
            threads.execute(() -> join(client));
        }
    }

    private void join(Socket client) {
        List<InetSocketAddress> current = backends;
        Socket upstream = null;
        long start = next.getAndIncrement();
        for (int i = 0; i < current.size() && upstream == null; i++) {
            InetSocketAddress target = current.get((int) Math.floorMod(start + i, (long) current.size()));
            Socket candidate = new Socket();
            try {
                candidate.connect(new InetSocketAddress(target.getHostString(), target.getPort()), CONNECT_TIMEOUT_MS);
                upstream = candidate;
            } catch (IOException e) {
                LOG.debug("backend {} of {} refused: {}", target, address, e.toString());
                closeQuietly(candidate);
            }
        }
        if (upstream == null) {
            closeQuietly(client);  // no ready endpoint: the connection is refused (closed), as kube-proxy rejects it
            return;
        }
        Socket backend = upstream;
        try {
            client.setTcpNoDelay(true);
            backend.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // best effort
        }
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(2);
        threads.execute(() -> pump(client, backend, open));
        pump(backend, client, open);
    }

    /**
     * Copies from one socket to the other; at end of stream half-closes the other side's output. The second
     * direction to finish (or any error) closes both sockets.
     */
    private static void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicInteger open) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
            if (open.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        } catch (IOException e) {
            open.set(0);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
