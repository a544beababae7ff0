package io.kronika.gateway.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The built-in resources this gateway serves, as kube-apiserver 1.32 describes them in discovery. */
public final class BuiltinResources {
    public static final String CRD_GROUP = "apiextensions.k8s.io";
    public static final String CRD_KIND = "CustomResourceDefinition";

    private static final List<ResourceType> ALL;

    static {
        List<ResourceType> r = new ArrayList<>();
        // core/v1
        r.add(cluster("", "namespaces", "Namespace").shortNames("ns").status().returnsDeleted()
                .verbs("create", "delete", "get", "list", "patch", "update", "watch").build());
        r.add(cluster("", "nodes", "Node").shortNames("no").status().build());
        r.add(namespaced("", "pods", "Pod").shortNames("po").all().status().podSubresources().returnsDeleted().build());
        r.add(namespaced("", "services", "Service").shortNames("svc").all().status().returnsDeleted().build());
        r.add(namespaced("", "endpoints", "Endpoints").singular("endpoints").shortNames("ep").build());
        r.add(namespaced("", "configmaps", "ConfigMap").shortNames("cm").build());
        r.add(namespaced("", "secrets", "Secret").build());
        r.add(namespaced("", "serviceaccounts", "ServiceAccount").shortNames("sa").returnsDeleted().build());
        r.add(cluster("", "persistentvolumes", "PersistentVolume").shortNames("pv").status().build());
        r.add(namespaced("", "persistentvolumeclaims", "PersistentVolumeClaim").shortNames("pvc").status().build());
        r.add(namespaced("", "replicationcontrollers", "ReplicationController").shortNames("rc").all().status()
                .scale(ScaleSpec.REPLICATION_CONTROLLER).build());
        r.add(namespaced("", "events", "Event").shortNames("ev").build());
        r.add(namespaced("", "resourcequotas", "ResourceQuota").shortNames("quota").status().build());
        r.add(namespaced("", "limitranges", "LimitRange").shortNames("limits").build());
        r.add(namespaced("", "bindings", "Binding").verbs("create").build());
        // apps/v1
        r.add(namespaced("apps", "deployments", "Deployment").shortNames("deploy").all().status().scale(ScaleSpec.APPS).build());
        r.add(namespaced("apps", "replicasets", "ReplicaSet").shortNames("rs").all().status().scale(ScaleSpec.APPS).build());
        r.add(namespaced("apps", "statefulsets", "StatefulSet").shortNames("sts").all().status().scale(ScaleSpec.APPS).build());
        r.add(namespaced("apps", "daemonsets", "DaemonSet").shortNames("ds").all().status().build());
        r.add(namespaced("apps", "controllerrevisions", "ControllerRevision").build());
        // batch/v1
        r.add(namespaced("batch", "jobs", "Job").all().status().build());
        r.add(namespaced("batch", "cronjobs", "CronJob").shortNames("cj").all().status().build());
        // networking.k8s.io/v1
        r.add(namespaced("networking.k8s.io", "ingresses", "Ingress").shortNames("ing").status().build());
        // storage.k8s.io/v1
        r.add(cluster("storage.k8s.io", "storageclasses", "StorageClass").shortNames("sc").returnsDeleted().build());
        // rbac.authorization.k8s.io/v1
        r.add(namespaced("rbac.authorization.k8s.io", "roles", "Role").build());
        r.add(cluster("rbac.authorization.k8s.io", "clusterroles", "ClusterRole").build());
        r.add(namespaced("rbac.authorization.k8s.io", "rolebindings", "RoleBinding").build());
        r.add(cluster("rbac.authorization.k8s.io", "clusterrolebindings", "ClusterRoleBinding").build());
        // coordination.k8s.io/v1
        r.add(namespaced("coordination.k8s.io", "leases", "Lease").build());
        // discovery.k8s.io/v1
        r.add(namespaced("discovery.k8s.io", "endpointslices", "EndpointSlice").build());
        // scheduling.k8s.io/v1
        r.add(cluster("scheduling.k8s.io", "priorityclasses", "PriorityClass").shortNames("pc").build());
        // authorization.k8s.io/v1: reviews answer without being stored
        r.add(cluster("authorization.k8s.io", "selfsubjectaccessreviews", "SelfSubjectAccessReview").verbs("create").build());
        r.add(cluster("authorization.k8s.io", "selfsubjectrulesreviews", "SelfSubjectRulesReview").verbs("create").build());
        r.add(cluster("authorization.k8s.io", "subjectaccessreviews", "SubjectAccessReview").verbs("create").build());
        r.add(namespaced("authorization.k8s.io", "localsubjectaccessreviews", "LocalSubjectAccessReview").verbs("create").build());
        // authentication.k8s.io/v1: who am I (kubectl auth whoami), answered from the request's credentials
        r.add(cluster("authentication.k8s.io", "selfsubjectreviews", "SelfSubjectReview").verbs("create").build());
        // metrics.k8s.io/v1beta1: usage read from the kubelets (kubectl top), not stored
        r.add(cluster("metrics.k8s.io", "nodes", "NodeMetrics").version("v1beta1").verbs("get", "list").build());
        r.add(namespaced("metrics.k8s.io", "pods", "PodMetrics").version("v1beta1").verbs("get", "list").build());
        // apiextensions.k8s.io/v1
        r.add(cluster(CRD_GROUP, "customresourcedefinitions", CRD_KIND).shortNames("crd", "crds")
                .categories("api-extensions").status().returnsDeleted().build());
        ALL = Collections.unmodifiableList(r);
    }

    private BuiltinResources() {
    }

    public static List<ResourceType> all() {
        return ALL;
    }

    /** The groups of the built-in resources, in the order discovery lists them (core first). */
    public static List<String> groups() {
        return ALL.stream().map(ResourceType::group).distinct().toList();
    }

    private static Builder namespaced(String group, String plural, String kind) {
        return new Builder(group, plural, kind, true);
    }

    private static Builder cluster(String group, String plural, String kind) {
        return new Builder(group, plural, kind, false);
    }

    private static final class Builder {
        private final String group;
        private final String plural;
        private final String kind;
        private final boolean namespaced;
        private String singular;
        private List<String> shortNames = List.of();
        private List<String> categories = List.of();
        private List<String> verbs = ResourceType.ALL_VERBS;
        private boolean status;
        private ScaleSpec scale;
        private boolean podSubresources;
        private boolean returnsDeleted;
        private String version = "v1";

        Builder(String group, String plural, String kind, boolean namespaced) {
            this.group = group;
            this.plural = plural;
            this.kind = kind;
            this.namespaced = namespaced;
            this.singular = kind.toLowerCase(java.util.Locale.ROOT);
        }

        Builder singular(String value) { singular = value; return this; }
        Builder version(String value) { version = value; return this; }
        Builder shortNames(String... values) { shortNames = List.of(values); return this; }
        Builder categories(String... values) { categories = List.of(values); return this; }
        Builder all() { return categories("all"); }
        Builder verbs(String... values) { verbs = List.of(values); return this; }
        Builder status() { status = true; return this; }
        Builder scale(ScaleSpec value) { scale = value; return this; }
        Builder podSubresources() { podSubresources = true; return this; }
        Builder returnsDeleted() { returnsDeleted = true; return this; }

        ResourceType build() {
            return new ResourceType(group, version, plural, singular, kind, kind + "List", namespaced, shortNames, categories,
                    verbs, status, scale, podSubresources, returnsDeleted, true, null, false);
        }
    }
}
