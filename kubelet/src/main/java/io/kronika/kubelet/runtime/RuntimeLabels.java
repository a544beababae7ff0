package io.kronika.kubelet.runtime;

/** Labels every sandbox and container carries so a restarted kubelet can adopt them (the names Kubernetes uses). */
public final class RuntimeLabels {
    public static final String POD_UID = "io.kubernetes.pod.uid";
    public static final String POD_NAME = "io.kubernetes.pod.name";
    public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    public static final String CONTAINER_NAME = "io.kubernetes.container.name";
    public static final String ATTEMPT = "io.kubernetes.container.restartCount";
    public static final String GRACE = "io.kubernetes.pod.terminationGracePeriod";
    public static final String NODE = "io.kronika.node";
    public static final String KIND = "io.kronika.kind";
    public static final String SANDBOX_ID = "io.kronika.sandbox";
    public static final String INIT = "io.kronika.init";

    private RuntimeLabels() {
    }
}
