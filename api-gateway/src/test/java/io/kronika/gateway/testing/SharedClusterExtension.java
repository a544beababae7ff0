package io.kronika.gateway.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the shared {@link TestCluster} before a test class and closes it once, after the last test of the run
 * (through the root context's store), while the broker is still up: a clean, quick shutdown.
 */
public final class SharedClusterExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedClusterExtension.class);

    @Override
    @SuppressWarnings("deprecation")
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("cluster", key -> new Closer(TestCluster.shared()));
    }

    @SuppressWarnings("deprecation")
    private record Closer(TestCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
