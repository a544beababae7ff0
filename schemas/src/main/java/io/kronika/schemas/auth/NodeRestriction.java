package io.kronika.schemas.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;

/**
 * What a kubelet may change, after kube-apiserver's Node authorizer and NodeRestriction admission: its own Node (and
 * its status), its own Lease in kube-node-lease, the status of pods bound to it and their final deletion, and Events.
 * A pure check: the node, the command and the current object of its key (null when none).
 */
public final class NodeRestriction {
    private NodeRestriction() {
    }

    /** Why node {@code node} may not send {@code command}, or null when it may. */
    public static String violation(String node, Command command, JsonNode current) {
        ObjectRef target = command.getTarget();
        String group = target.getGroup();
        String kind = target.getKind();
        Operation op = command.getOperation();
        if (group.isEmpty() && kind.equals("Node")) {
            return target.getName().equals(node) ? null
                    : "node \"" + node + "\" is not allowed to modify node \"" + target.getName() + "\"";
        }
        if (group.equals("coordination.k8s.io") && kind.equals("Lease")) {
            return target.getNamespace().equals("kube-node-lease") && target.getName().equals(node) ? null
                    : "node \"" + node + "\" is not allowed to modify lease \"" + target.getNamespace() + "/" + target.getName() + "\"";
        }
        if ((group.isEmpty() || group.equals("events.k8s.io")) && kind.equals("Event")) {
            return op == Operation.CREATE || op == Operation.UPDATE ? null : "node \"" + node + "\" may only create and update events";
        }
        if (group.isEmpty() && kind.equals("Pod")) {
            if (op != Operation.UPDATE_STATUS && op != Operation.DELETE) {
                return "node \"" + node + "\" may only update the status of pods and delete them, not " + op.name().toLowerCase();
            }
            String boundTo = current == null ? "" : current.path("spec").path("nodeName").asText("");
            return boundTo.equals(node) ? null : "node \"" + node + "\" can only update pods with spec.nodeName set to itself (pod \""
                    + target.getNamespace() + "/" + target.getName() + "\" is " + (boundTo.isEmpty() ? "unbound" : "on node \"" + boundTo + "\"") + ")";
        }
        return "node \"" + node + "\" is not allowed to modify " + (group.isEmpty() ? "" : group + "/") + kind + " \""
                + (target.getNamespace().isEmpty() ? "" : target.getNamespace() + "/") + target.getName() + "\"";
    }
}
