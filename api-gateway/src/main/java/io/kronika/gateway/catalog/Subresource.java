package io.kronika.gateway.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A subresource as discovery lists it; {@code group}/{@code version} are null when its kind lives in the parent's
 * group version.
 */
public record Subresource(String name, String group, String version, String kind, List<String> verbs) {
    private static final List<String> READ_WRITE = List.of("get", "patch", "update");

    /** The subresources {@code type} serves, in kube-apiserver's (alphabetical) order. */
    public static List<Subresource> of(ResourceType type) {
        List<Subresource> out = new ArrayList<>();
        if (type.podSubresources()) {
            out.add(new Subresource("attach", null, null, "PodAttachOptions", List.of("create", "get")));
            out.add(new Subresource("binding", null, null, "Binding", List.of("create")));
            out.add(new Subresource("eviction", "policy", "v1", "Eviction", List.of("create")));
            out.add(new Subresource("exec", null, null, "PodExecOptions", List.of("create", "get")));
            out.add(new Subresource("log", null, null, "Pod", List.of("get")));
            out.add(new Subresource("portforward", null, null, "PodPortForwardOptions", List.of("create", "get")));
        }
        if (type.scale() != null) {
            out.add(new Subresource("scale", "autoscaling", "v1", "Scale", READ_WRITE));
        }
        if (type.statusSubresource()) {
            out.add(new Subresource("status", null, null, type.kind(), READ_WRITE));
        }
        return out;
    }
}
