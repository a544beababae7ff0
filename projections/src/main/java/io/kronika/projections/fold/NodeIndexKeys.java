package io.kronika.projections.fold;

/** Keys of the pods-by-node index: node name, NUL, pod key; a node's pods are one contiguous prefix. */
public final class NodeIndexKeys {
    private NodeIndexKeys() {
    }

    public static String of(String nodeName, String podKey) {
        return prefix(nodeName) + podKey;
    }

    public static String prefix(String nodeName) {
        return nodeName + '\0';
    }
}
