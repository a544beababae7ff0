package io.kronika.eventstore.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.auth.AuthorizationDecision;
import io.kronika.schemas.auth.ComponentCredentials;
import io.kronika.schemas.auth.NodeRestriction;
import io.kronika.schemas.auth.RbacAuthorizer;
import io.kronika.schemas.auth.RbacObjects;
import io.kronika.schemas.auth.RequestAttributes;
import io.kronika.schemas.auth.UserInfo;
import io.kronika.schemas.k8s.JsonTrees;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who sent a command written straight to Kafka, and whether they may: the component credential on the command
 * ({@link ComponentCredentials}) is verified with the cluster's component master key; a kubelet
 * ({@code system:node:NAME}) is held to {@link NodeRestriction}; other components (scheduler, controller manager) to
 * RBAC over the roles in the admission state; {@code system:kronika} (the all-in-one process and its gateway, which
 * authorize their users themselves) is trusted. Unsigned commands are refused when {@code requireSignatures}, else
 * admitted as before (a cluster whose every writer signs should require it).
 */
public final class CommandAuthorization {
    private static final String RBAC = "rbac.authorization.k8s.io";

    private final byte[] masterKey;
    private final boolean requireSignatures;

    public CommandAuthorization(byte[] masterKey, boolean requireSignatures) {
        this.masterKey = masterKey.clone();
        this.requireSignatures = requireSignatures;
    }

    /** The refusal of {@code command} (401 or 403, nothing appended), or null when it may go on to admission. */
    Decision refusal(Command command, AdmissionDecider.CurrentState state, long timestamp) {
        if (command.getSignature() == null) {
            return requireSignatures ? refuse(command, timestamp, 401, "Unauthorized",
                    "Unauthorized: commands must carry a component credential (signature); this one has none") : null;
        }
        String principal = ComponentCredentials.verifiedPrincipal(command, masterKey);
        if (principal == null) {
            return refuse(command, timestamp, 401, "Unauthorized", "Unauthorized: the signature of \""
                    + command.getSignature().getPrincipal() + "\" does not verify");
        }
        if (principal.equals(ComponentCredentials.TRUSTED)) {
            return null;
        }
        String problem;
        if (principal.startsWith(ComponentCredentials.NODE_PREFIX)) {
            ObjectEvent current = state.get(ObjectKeys.of(command.getTarget()));
            problem = NodeRestriction.violation(principal.substring(ComponentCredentials.NODE_PREFIX.length()), command,
                    current == null ? null : tree(current.getObject()));
        } else {
            RequestAttributes request = attributes(principal, command);
            AuthorizationDecision decision = RbacAuthorizer.authorize(request, new StateRbac(state));
            problem = decision.allowed() ? null : RbacAuthorizer.forbiddenMessage(request);
        }
        return problem == null ? null : refuse(command, timestamp, 403, "Forbidden", problem);
    }

    private static RequestAttributes attributes(String principal, Command command) {
        ObjectRef target = command.getTarget();
        String resource = plural(target.getKind());
        String subresource = "";
        String verb = switch (command.getOperation()) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case UPDATE_STATUS -> {
                subresource = "status";
                yield "update";
            }
            case DELETE -> "delete";
            case BIND -> {
                subresource = "binding";
                yield "create";
            }
            default -> command.getOperation().name().toLowerCase(Locale.ROOT);
        };
        UserInfo user = UserInfo.authenticated(principal, "", List.of());
        return RequestAttributes.resource(user, verb, target.getGroup(), resource, subresource, target.getNamespace(), target.getName());
    }

    /** The resource of a kind as RBAC names it: pods, endpoints, ingresses, networkpolicies. */
    static String plural(String kind) {
        String lower = kind.toLowerCase(Locale.ROOT);
        if (lower.endsWith("ss") || lower.endsWith("x") || lower.endsWith("ch") || lower.endsWith("sh")) {
            return lower + "es";
        }
        if (lower.endsWith("s")) {
            return lower;
        }
        if (lower.endsWith("y") && lower.length() > 1 && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return lower.substring(0, lower.length() - 1) + "ies";
        }
        return lower + "s";
    }

    private static Decision refuse(Command command, long timestamp, int code, String reason, String message) {
        CommandResult result = CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setOutcome(Outcome.REJECTED)
                .setCode(code)
                .setReason(reason)
                .setMessage(message)
                .setRef(command.getTarget())
                .setTimestamp(Instant.ofEpochMilli(timestamp))
                .build();
        return new Decision(result, null, "");
    }

    private static JsonNode tree(String json) {
        try {
            return JsonTrees.MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** The RBAC objects as the admission state holds them now. */
    private record StateRbac(AdmissionDecider.CurrentState state) implements RbacObjects {
        @Override
        public Optional<JsonNode> role(String namespace, String name) {
            return object(ObjectKeys.of(RBAC, "Role", namespace, name));
        }

        @Override
        public Optional<JsonNode> clusterRole(String name) {
            return object(ObjectKeys.of(RBAC, "ClusterRole", "", name));
        }

        @Override
        public List<JsonNode> roleBindings(String namespace) {
            return trees(state.scan(ObjectKeys.namespacePrefix(RBAC, "RoleBinding", namespace)));
        }

        @Override
        public List<JsonNode> clusterRoleBindings() {
            return trees(state.scan(ObjectKeys.kindPrefix(RBAC, "ClusterRoleBinding")));
        }

        private Optional<JsonNode> object(String key) {
            ObjectEvent event = state.get(key);
            return event == null ? Optional.empty() : Optional.ofNullable(tree(event.getObject()));
        }

        private static List<JsonNode> trees(List<ObjectEvent> events) {
            List<JsonNode> out = new ArrayList<>();
            for (ObjectEvent event : events) {
                JsonNode tree = tree(event.getObject());
                if (tree != null) {
                    out.add(tree);
                }
            }
            return out;
        }
    }
}
