package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.kronika.gateway.validation.Json.obj;
import static io.kronika.gateway.validation.Json.objOrCreate;
import static io.kronika.gateway.validation.Json.str;

/**
 * Defaulting and validation of built-in kinds (pure), as kube-apiserver applies them on create and update:
 * the v1 defaulters (pkg/apis/{core,apps,batch}/v1/defaults.go), the create-time parts of the registry strategies
 * (pod status Pending with its QoS class, namespace finalizer and phase, generation 1 of workloads, Job selector and
 * labels), then validation (pkg/apis/{core,apps,batch}/validation, apimachinery ObjectMeta rules).
 *
 * <p>Covered: Pod (and the pod templates of ReplicaSet, Deployment, StatefulSet, DaemonSet, Job, CronJob,
 * ReplicationController, PodTemplate), Service, Namespace, Node, ConfigMap, Secret, and object metadata of every
 * other kind. Errors carry Kubernetes' field paths and wording; every bad field is reported, in one 422 whose
 * message is {@code Kind.group "name" is invalid: [...]} as Kubernetes writes it.
 *
 * <p>Not covered (see the report): update-only rules that need the old object (immutable fields, resourceVersion
 * required), admission plugins (service-account token mounts, default tolerations, priority resolution),
 * allocation by registries (cluster IPs, node ports), and the long tail of pod-spec fields (security contexts,
 * probes' handlers, volume sources' own fields, affinity terms).
 */
public final class ObjectValidation {
    private ObjectValidation() {
    }

    /**
     * Fills defaults into {@code object} (in place) and validates it; {@code create} tells a create from an update.
     * Throws {@link io.kronika.gateway.api.ApiException} 422 Invalid naming every bad field.
     */
    public static void defaultAndValidate(String group, String kind, ObjectNode object, boolean create) {
        String g = group == null ? "" : group;
        Errs errs = new Errs();
        switch (g + "/" + kind) {
            case "/Pod" -> {
                PodRules.defaultPod(object);
                if (create) {
                    ObjectNode status = objOrCreate(object, "status");
                    if (str(status, "phase").isEmpty()) {
                        status.put("phase", "Pending");
                    }
                    status.put("qosClass", PodRules.qosClass(obj(object, "spec")));
                }
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                PodRules.validatePodSpec(obj(object, "spec"), "spec", true, errs);
            }
            case "/PodTemplate" -> {
                PodRules.defaultTemplate(obj(object, "template"));
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                PodRules.validateTemplate(obj(object, "template"), "template", errs);
            }
            case "/Service" -> {
                CoreRules.defaultService(object);
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS1035_LABEL, errs);
                CoreRules.validateService(object, errs);
            }
            case "/Namespace" -> {
                CoreRules.defaultNamespace(object, create);
                ObjectMetaRules.validate(object, false, ObjectMetaRules.DNS_LABEL, errs);
                CoreRules.validateNamespace(object, errs);
            }
            case "/Node" -> {
                CoreRules.defaultNode(object);
                ObjectMetaRules.validate(object, false, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                CoreRules.validateNode(object, errs);
            }
            case "/ConfigMap" -> {
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                CoreRules.validateConfigMap(object, errs);
            }
            case "/Secret" -> {
                CoreRules.defaultSecret(object);
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                CoreRules.validateSecret(object, errs);
            }
            case "/ReplicationController" -> {
                WorkloadRules.defaultReplicationController(object);
                generation(object, create);
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                WorkloadRules.validateReplicationController(object, errs);
            }
            case "apps/Deployment", "apps/ReplicaSet", "apps/StatefulSet", "apps/DaemonSet" -> {
                switch (kind) {
                    case "Deployment" -> WorkloadRules.defaultDeployment(object);
                    case "ReplicaSet" -> WorkloadRules.defaultReplicaSet(object);
                    case "StatefulSet" -> WorkloadRules.defaultStatefulSet(object);
                    default -> WorkloadRules.defaultDaemonSet(object);
                }
                generation(object, create);
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                WorkloadRules.validateAppsSpec(kind, object, errs);
            }
            case "batch/Job" -> {
                WorkloadRules.defaultJob(object, create);
                generation(object, create);
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                WorkloadRules.validateJobSpec(obj(object, "spec"), "spec", false, errs);
            }
            case "batch/CronJob" -> {
                WorkloadRules.defaultCronJob(object);
                generation(object, create);
                ObjectMetaRules.validate(object, true, ObjectMetaRules.DNS_SUBDOMAIN, errs);
                WorkloadRules.validateCronJob(object, errs);
            }
            case "rbac.authorization.k8s.io/Role", "rbac.authorization.k8s.io/ClusterRole",
                 "rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding" ->
                    ObjectMetaRules.validate(object, !str(obj(object, "metadata"), "namespace").isEmpty(), ObjectMetaRules.PATH_SEGMENT, errs);
            default -> {
                JsonNode meta = obj(object, "metadata");
                boolean namespaced = !str(meta, "namespace").isEmpty();
                ObjectMetaRules.validate(object, namespaced, ObjectMetaRules.DNS_SUBDOMAIN, errs);
            }
        }
        if (!errs.isEmpty()) {
            throw invalid(g, kind, str(obj(object, "metadata"), "name"), errs.list());
        }
    }

    private static void generation(ObjectNode object, boolean create) {
        if (create) {
            objOrCreate(object, "metadata").put("generation", 1);
        }
    }

    /**
     * errors.NewInvalid: 422 with {@code Kind.group "name" is invalid: [...]} (qualified kind, duplicate messages
     * folded as utilerrors.Aggregate does), details group/kind/name and one cause per field error.
     */
    static ApiException invalid(String group, String kind, String name, List<FieldError> causes) {
        String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
        Set<String> messages = new LinkedHashSet<>();
        for (FieldError c : causes) {
            messages.add(c.describe());
        }
        List<String> distinct = new ArrayList<>(messages);
        String aggregate = distinct.size() == 1 ? distinct.get(0) : "[" + String.join(", ", distinct) + "]";
        String message = qualified + " " + GoFormat.quote(name == null ? "" : name) + " is invalid: " + aggregate;
        return new ApiException(422, "Invalid", message, causes, group, kind, name);
    }
}
