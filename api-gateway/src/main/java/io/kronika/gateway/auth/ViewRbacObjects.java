package io.kronika.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.projections.ClusterView;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.auth.BootstrapPolicy;
import io.kronika.schemas.auth.RbacObjects;
import io.kronika.schemas.k8s.JsonTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The RBAC objects as the view holds them now; parsed trees are kept per key and revision, so a request parses only what changed. */
public final class ViewRbacObjects implements RbacObjects {
    private static final String GROUP = BootstrapPolicy.GROUP;

    private record Parsed(long revision, JsonNode tree) {
    }

    private final ClusterView view;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

    public ViewRbacObjects(ClusterView view) {
        this.view = view;
    }

    @Override
    public Optional<JsonNode> role(String namespace, String name) {
        return view.get(ObjectKeys.of(GROUP, "Role", namespace, name)).map(this::tree);
    }

    @Override
    public Optional<JsonNode> clusterRole(String name) {
        return view.get(ObjectKeys.of(GROUP, "ClusterRole", "", name)).map(this::tree);
    }

    @Override
    public List<JsonNode> roleBindings(String namespace) {
        return list(ObjectKeys.namespacePrefix(GROUP, "RoleBinding", namespace));
    }

    @Override
    public List<JsonNode> clusterRoleBindings() {
        return list(ObjectKeys.kindPrefix(GROUP, "ClusterRoleBinding"));
    }

    private List<JsonNode> list(String prefix) {
        List<JsonNode> trees = new ArrayList<>();
        for (StoredObject object : view.list(prefix, view.appliedRevision(), o -> true, 0, null).items()) {
            trees.add(tree(object));
        }
        return trees;
    }

    private JsonNode tree(StoredObject object) {
        Parsed cached = parsed.get(object.key());
        if (cached != null && cached.revision() == object.revision()) {
            return cached.tree();
        }
        try {
            JsonNode tree = JsonTrees.MAPPER.readTree(object.json());
            parsed.put(object.key(), new Parsed(object.revision(), tree));
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
