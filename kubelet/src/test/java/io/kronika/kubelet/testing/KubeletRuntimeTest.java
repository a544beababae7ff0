package io.kronika.kubelet.testing;

import io.kronika.kubelet.Kubelet;
import io.kronika.kubelet.KubeletConfig;
import io.kronika.kubelet.runtime.ContainerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A kubelet integration test on one runtime: before each test, a fresh namespace and node on the shared cluster and a
 * kubelet on a new runtime for it; after each, the kubelet closed (unless the test already did) and the runtime released.
 */
public abstract class KubeletRuntimeTest<R extends ContainerRuntime> {
    private final String namespacePrefix;
    private final String nodePrefix;
    protected TestCluster cluster;
    protected String ns;
    protected String nodeName;
    protected R runtime;
    protected Kubelet kubelet;

    protected KubeletRuntimeTest(String namespacePrefix, String nodePrefix) {
        this.namespacePrefix = namespacePrefix;
        this.nodePrefix = nodePrefix;
    }

    /** A runtime for {@link #nodeName}; a new one finds only what the previous left on disk or in the engine. */
    protected abstract R newRuntime() throws Exception;

    /** The kubelet config for {@link #nodeName}. */
    protected abstract KubeletConfig config();

    /** Releases the runtime after the kubelet has closed. */
    protected abstract void release(R runtime);

    /** Stops the kubelet mid-test, as a crash or a restart would: the runtime and its containers stay. */
    protected void closeKubelet() {
        kubelet.close();
        kubelet = null;
    }

    @BeforeEach
    void startKubelet() throws Exception {
        cluster = TestCluster.shared();
        ns = cluster.newNamespace(namespacePrefix);
        nodeName = TestCluster.uniqueName(nodePrefix);
        runtime = newRuntime();
        kubelet = Kubelet.start(cluster.services, config(), runtime);
    }

    @AfterEach
    void stopKubelet() {
        if (kubelet != null) {
            kubelet.close();
        }
        release(runtime);
    }
}
