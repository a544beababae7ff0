package io.kronika.controllers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.controllers.framework.Json;

/**
 * A Job's {@code spec.podFailurePolicy} applied to one failed pod, as Kubernetes' job controller does: the rules are
 * tried in order and the first one that matches decides; a failed pod no rule matches counts towards the backoff limit.
 *
 * <p>{@code onExitCodes} matches a terminated container (of {@code containerName} when given, containers before init
 * containers) whose non-zero exit code is {@code In} or {@code NotIn} the values; {@code onPodConditions} matches
 * a pod condition of that type and status (default True), e.g. {@code DisruptionTarget}.
 */
public final class PodFailurePolicy {
    public static final String FAIL_JOB = "FailJob";
    public static final String FAIL_INDEX = "FailIndex";
    public static final String IGNORE = "Ignore";
    public static final String COUNT = "Count";

    /** What the policy decided for a failed pod, and Kubernetes' message naming the pod and the rule. */
    public record Decision(String action, String message) {
        static final Decision COUNTED = new Decision(COUNT, null);
    }

    private PodFailurePolicy() {
    }

    /** The decision of {@code policy} (the job's spec.podFailurePolicy, may be null) for the failed {@code pod}. */
    public static Decision decide(JsonNode policy, JsonNode pod) {
        JsonNode rules = policy == null ? null : policy.get("rules");
        if (rules == null || !rules.isArray()) {
            return Decision.COUNTED;
        }
        String podName = Json.namespace(pod) + "/" + Json.name(pod);
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String action = Json.text(rule, "action");
            if (action == null) {
                continue;
            }
            JsonNode onExitCodes = rule.get("onExitCodes");
            if (onExitCodes != null && onExitCodes.isObject()) {
                JsonNode container = matchingContainer(pod, onExitCodes);
                if (container != null) {
                    return new Decision(action, "Container " + Json.text(container, "name") + " for pod " + podName
                            + " failed with exit code " + exitCode(container) + " matching " + action + " rule at index " + i);
                }
                continue;
            }
            JsonNode onConditions = rule.get("onPodConditions");
            if (onConditions != null && onConditions.isArray()) {
                for (JsonNode pattern : onConditions) {
                    String type = Json.text(pattern, "type");
                    String status = Json.text(pattern, "status");
                    JsonNode condition = type == null ? null : Json.condition(pod, type);
                    if (condition != null && (status == null ? "True" : status).equals(Json.text(condition, "status"))) {
                        return new Decision(action, "Pod " + podName + " has condition " + type + " matching " + action
                                + " rule at index " + i);
                    }
                }
            }
        }
        return Decision.COUNTED;
    }

    private static JsonNode matchingContainer(JsonNode pod, JsonNode requirement) {
        JsonNode found = matchingIn(Json.at(pod, "status", "containerStatuses"), requirement);
        return found != null ? found : matchingIn(Json.at(pod, "status", "initContainerStatuses"), requirement);
    }

    private static JsonNode matchingIn(JsonNode statuses, JsonNode requirement) {
        if (statuses == null || !statuses.isArray()) {
            return null;
        }
        String containerName = Json.text(requirement, "containerName");
        boolean in = !"NotIn".equals(Json.text(requirement, "operator"));
        for (JsonNode status : statuses) {
            if (containerName != null && !containerName.equals(Json.text(status, "name"))) {
                continue;
            }
            Integer code = exitCode(status);
            if (code == null || code == 0) {
                continue; // a container that succeeded never matches, not even NotIn
            }
            boolean listed = false;
            for (JsonNode value : requirement.path("values")) {
                listed |= value.asInt() == code;
            }
            if (listed == in) {
                return status;
            }
        }
        return null;
    }

    private static Integer exitCode(JsonNode containerStatus) {
        JsonNode code = containerStatus.path("state").path("terminated").get("exitCode");
        return code == null || !code.canConvertToInt() ? null : code.asInt();
    }
}
