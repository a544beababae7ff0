package io.kronika.controllers.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Labels;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.schemas.ObjectKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * ClusterRole aggregation (kube-controller-manager's clusterrole-aggregation): a ClusterRole with an
 * {@code aggregationRule} holds the union of the rules of every other ClusterRole its selectors match, in name order,
 * each rule once. Adding {@code rbac.authorization.k8s.io/aggregate-to-view: "true"} to a role extends view (and
 * through view, edit and admin).
 */
public final class ClusterRoleAggregationController implements Controller {
    static final String GROUP = "rbac.authorization.k8s.io";
    private static final String PREFIX = ObjectKeys.kindPrefix(GROUP, "ClusterRole");

    @Override
    public String name() {
        return "clusterrole-aggregation";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        // Any ClusterRole may be selected by an aggregated one: look at every aggregated role again.
        if (change.key().startsWith(PREFIX)) {
            enqueue.accept(PREFIX + "*");
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return List.of(PREFIX + "*");
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        List<CachedObject> roles = context.cache().listKind(GROUP, "ClusterRole");
        List<Action> actions = new ArrayList<>();
        for (CachedObject role : roles) {
            actions.addAll(sync(role, roles).actions());
        }
        return actions.isEmpty() ? Reconciled.nothing() : Reconciled.of(actions);
    }

    /** The pure reconcile of one role: an update to the aggregated rules when they differ from what it holds. */
    public static Reconciled sync(CachedObject role, List<CachedObject> allRoles) {
        JsonNode selectors = Json.at(role.object(), "aggregationRule", "clusterRoleSelectors");
        if (selectors == null || !selectors.isArray() || Json.isTerminating(role.object())) {
            return Reconciled.nothing();
        }
        ArrayNode rules = aggregatedRules(role.name(), selectors, allRoles);
        JsonNode current = role.object().path("rules");
        if (rules.equals(current) || (rules.isEmpty() && current.isMissingNode())) {
            return Reconciled.nothing();
        }
        ObjectNode updated = role.copy();
        updated.set("rules", rules);
        return Reconciled.of(List.of(new Action.Update(role.ref(), updated, role.revision())));
    }

    static ArrayNode aggregatedRules(String self, JsonNode selectors, List<CachedObject> allRoles) {
        ArrayNode rules = Json.array();
        List<CachedObject> sorted = allRoles.stream().sorted(Comparator.comparing(CachedObject::name)).toList();
        for (JsonNode selector : selectors) {
            for (CachedObject other : sorted) {
                if (other.name().equals(self) || !Labels.matches(selector, Json.labels(other.object()))) {
                    continue;
                }
                for (JsonNode rule : other.object().path("rules")) {
                    if (!contains(rules, rule)) {
                        rules.add(rule.deepCopy());
                    }
                }
            }
        }
        return rules;
    }

    private static boolean contains(ArrayNode rules, JsonNode rule) {
        for (JsonNode existing : rules) {
            if (existing.equals(rule)) {
                return true;
            }
        }
        return false;
    }
}
