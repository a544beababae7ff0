package io.kronika.launcher.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Actor;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.auth.BootstrapPolicy;
import io.kronika.schemas.k8s.JsonTrees;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The default RBAC roles and bindings ({@link BootstrapPolicy}), created through the log like any other write when
 * absent; existing ones are left as the cluster's admins have them (a later bootstrap never overwrites edits).
 */
public final class DefaultPolicy {
    private static final Actor BOOTSTRAP = Commands.actor("system:kronika-bootstrap", "launcher", "system:masters");

    private DefaultPolicy() {
    }

    public static void ensure(CommandClient client) throws Exception {
        List<ObjectNode> objects = new ArrayList<>(BootstrapPolicy.clusterRoles());
        objects.addAll(BootstrapPolicy.clusterRoleBindings());
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        for (ObjectNode object : objects) {
            String kind = object.path("kind").asText();
            String name = object.path("metadata").path("name").asText();
            answers.add(client.submit(Commands.builder(Operation.CREATE, ObjectKeys.ref(BootstrapPolicy.GROUP, kind, "", name), BOOTSTRAP)
                    .setObject(JsonTrees.write(object)).setStatusSubresource(false).setCause("cluster bootstrap: default RBAC policy").build()));
        }
        for (int i = 0; i < answers.size(); i++) {
            CommandResult result = answers.get(i).get(60, TimeUnit.SECONDS);
            if (result.getOutcome() == Outcome.REJECTED && !"AlreadyExists".equals(result.getReason())) {
                throw new IllegalStateException("Could not create the default " + objects.get(i).path("kind").asText() + " "
                        + objects.get(i).path("metadata").path("name").asText() + ": " + result.getMessage());
            }
        }
    }
}
