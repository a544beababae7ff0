package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Outcome;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The namespaces every Kubernetes cluster starts with; created once, through the log like any other write. */
final class DefaultObjects {
    static final List<String> NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
    private static final Actor BOOTSTRAP = Commands.actor("system:kronika-bootstrap", "launcher", "system:masters");

    private DefaultObjects() {
    }

    static void ensure(CommandClient client) throws Exception {
        for (String namespace : NAMESPACES) {
            String json = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace
                    + "\"},\"spec\":{\"finalizers\":[\"kubernetes\"]},\"status\":{\"phase\":\"Active\"}}";
            CommandResult result = client.submit(Commands.builder(io.kronika.schemas.Operation.CREATE,
                    ObjectKeys.ref("", "Namespace", "", namespace), BOOTSTRAP)
                    .setObject(json).setStatusSubresource(false).setCause("cluster bootstrap").build())
                    .get(60, TimeUnit.SECONDS);
            if (result.getOutcome() == Outcome.REJECTED && !"AlreadyExists".equals(result.getReason())) {
                throw new IllegalStateException("Could not create namespace " + namespace + ": " + result.getMessage());
            }
        }
    }
}
