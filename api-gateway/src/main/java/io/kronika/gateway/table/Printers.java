package io.kronika.gateway.table;

import java.util.List;
import java.util.Map;

/** The columns of every built-in kind, by group and kind; kinds without their own get Name and Age. */
final class Printers {
    private static final Map<String, List<Column>> BUILTIN = Map.ofEntries(
            Map.entry("/Pod", PodColumns.all()),
            Map.entry("/Service", CoreColumns.services()),
            Map.entry("/Node", CoreColumns.nodes()),
            Map.entry("/Namespace", CoreColumns.namespaces()),
            Map.entry("/Event", CoreColumns.events()),
            Map.entry("/ConfigMap", CoreColumns.configMaps()),
            Map.entry("/Secret", CoreColumns.secrets()),
            Map.entry("/ServiceAccount", CoreColumns.serviceAccounts()),
            Map.entry("/Endpoints", CoreColumns.endpoints()),
            Map.entry("/PersistentVolume", CoreColumns.persistentVolumes()),
            Map.entry("/PersistentVolumeClaim", CoreColumns.persistentVolumeClaims()),
            Map.entry("/ReplicationController", WorkloadColumns.replicationControllers()),
            Map.entry("/ResourceQuota", CoreColumns.resourceQuotas()),
            Map.entry("/LimitRange", ClusterColumns.limitRanges()),
            Map.entry("apps/Deployment", WorkloadColumns.deployments()),
            Map.entry("apps/ReplicaSet", WorkloadColumns.replicaSets()),
            Map.entry("apps/StatefulSet", WorkloadColumns.statefulSets()),
            Map.entry("apps/DaemonSet", WorkloadColumns.daemonSets()),
            Map.entry("apps/ControllerRevision", ClusterColumns.controllerRevisions()),
            Map.entry("batch/Job", WorkloadColumns.jobs()),
            Map.entry("batch/CronJob", WorkloadColumns.cronJobs()),
            Map.entry("networking.k8s.io/Ingress", ClusterColumns.ingresses()),
            Map.entry("storage.k8s.io/StorageClass", ClusterColumns.storageClasses()),
            Map.entry("rbac.authorization.k8s.io/Role", ClusterColumns.createdAt()),
            Map.entry("rbac.authorization.k8s.io/ClusterRole", ClusterColumns.createdAt()),
            Map.entry("rbac.authorization.k8s.io/RoleBinding", ClusterColumns.bindings()),
            Map.entry("rbac.authorization.k8s.io/ClusterRoleBinding", ClusterColumns.bindings()),
            Map.entry("coordination.k8s.io/Lease", ClusterColumns.leases()),
            Map.entry("discovery.k8s.io/EndpointSlice", ClusterColumns.endpointSlices()),
            Map.entry("scheduling.k8s.io/PriorityClass", ClusterColumns.priorityClasses()),
            Map.entry("apiextensions.k8s.io/CustomResourceDefinition", ClusterColumns.createdAt()));
    private static final List<Column> DEFAULT = List.of(Column.name("Name must be unique within a namespace."), Column.age());

    private Printers() {
    }

    static List<Column> builtin(String group, String kind) {
        return BUILTIN.getOrDefault(group + "/" + kind, DEFAULT);
    }
}
