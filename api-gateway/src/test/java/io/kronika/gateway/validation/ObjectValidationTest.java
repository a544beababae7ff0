package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ObjectValidationTest {
    static final ObjectMapper M = new ObjectMapper();

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) M.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ApiException fails(String group, String kind, ObjectNode o) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ObjectValidation.defaultAndValidate(group, kind, o, true));
        assertThat(e).as("expected 422").isNotNull();
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.reason()).isEqualTo("Invalid");
        return e;
    }

    static List<String> described(ApiException e) {
        return e.causes().stream().map(FieldError::describe).toList();
    }

    static ObjectNode pod() {
        return obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'default'},"
                + "'spec':{'containers':[{'name':'app','image':'nginx'}]}}");
    }

    @Test
    void podDefaults() {
        ObjectNode p = pod();
        ObjectNode c = (ObjectNode) p.at("/spec/containers/0");
        c.set("ports", obj("{'a':[{'containerPort':80}]}").get("a"));
        c.set("resources", obj("{'limits':{'cpu':'500m','memory':'128Mi'}}"));
        ObjectValidation.defaultAndValidate("", "Pod", p, true);
        JsonNode spec = p.get("spec");
        assertThat(spec.get("restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.get("dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(spec.get("terminationGracePeriodSeconds").asLong()).isEqualTo(30);
        assertThat(spec.get("schedulerName").asText()).isEqualTo("default-scheduler");
        assertThat(spec.get("enableServiceLinks").asBoolean()).isTrue();
        assertThat(spec.get("securityContext").isObject()).isTrue();
        JsonNode container = spec.at("/containers/0");
        assertThat(container.get("imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(container.get("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        assertThat(container.get("terminationMessagePolicy").asText()).isEqualTo("File");
        assertThat(container.at("/ports/0/protocol").asText()).isEqualTo("TCP");
        assertThat(container.at("/resources/requests")).isEqualTo(obj("{'cpu':'500m','memory':'128Mi'}"));
        assertThat(p.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(p.at("/status/qosClass").asText()).isEqualTo("Guaranteed");
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        assertThat(PodRules.defaultPullPolicy("nginx")).isEqualTo("Always");
        assertThat(PodRules.defaultPullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(PodRules.defaultPullPolicy("nginx:1.27")).isEqualTo("IfNotPresent");
        assertThat(PodRules.defaultPullPolicy("registry:5000/nginx")).isEqualTo("Always");
        assertThat(PodRules.defaultPullPolicy("registry:5000/nginx:1")).isEqualTo("IfNotPresent");
        assertThat(PodRules.defaultPullPolicy("nginx@sha256:abc")).isEqualTo("IfNotPresent");
    }

    @Test
    void qosClasses() {
        assertThat(PodRules.qosClass(obj("{'containers':[{'name':'a'}]}"))).isEqualTo("BestEffort");
        assertThat(PodRules.qosClass(obj("{'containers':[{'name':'a','resources':{'requests':{'cpu':'1'}}}]}"))).isEqualTo("Burstable");
    }

    @Test
    void everyBadFieldIsReported() {
        ObjectNode p = obj("{'metadata':{'name':'Web_1','namespace':'default','labels':{'bad key':'ok','k':'bad value!'}},"
                + "'spec':{'restartPolicy':'Sometimes','containers':[{'name':'App'},{'name':'x','image':'i',"
                + "'ports':[{'containerPort':70000,'protocol':'HTTP'}],"
                + "'resources':{'requests':{'cpu':'2'},'limits':{'cpu':'1','memory':'lots'}}},{'name':'x','image':'i'}]}}");
        ApiException e = fails("", "Pod", p);
        List<String> errors = described(e);
        assertThat(errors).contains(
                "metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
                "spec.containers[0].image: Required value",
                "spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.containers[1].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[1].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
                "spec.containers[2].name: Duplicate value: \"x\"");
        assertThat(errors).anySatisfy(s -> assertThat(s).startsWith("spec.containers[0].name: Invalid value: \"App\": a lowercase RFC 1123 label"));
        assertThat(errors).anySatisfy(s -> assertThat(s).isEqualTo("spec.containers[1].resources.limits[memory]: Invalid value: \"lots\": "
                + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
        assertThat(e.getMessage()).startsWith("Pod \"Web_1\" is invalid: [metadata.name: Invalid value: \"Web_1\"");
        assertThat(e.kind()).isEqualTo("Pod");
        assertThat(e.name()).isEqualTo("Web_1");
    }

    @Test
    void nameAndNamespaceRequired() {
        ApiException e = fails("", "ConfigMap", obj("{'metadata':{}}"));
        assertThat(described(e)).containsExactly("metadata.name: Required value: name or generateName is required",
                "metadata.namespace: Required value");
        assertThat(e.getMessage()).isEqualTo("ConfigMap \"\" is invalid: [metadata.name: Required value: name or generateName is required, metadata.namespace: Required value]");
    }

    @Test
    void generateNameMayEndWithDash() {
        ObjectNode cm = obj("{'metadata':{'generateName':'web-','namespace':'ns'}}");
        ApiException e = fails("", "ConfigMap", cm);
        assertThat(described(e)).containsExactly("metadata.name: Required value: name or generateName is required");
    }

    @Test
    void deploymentDefaults() {
        ObjectNode d = obj("{'metadata':{'name':'web','namespace':'default'},'spec':{'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'app','image':'nginx:1.27'}]}}}}");
        ObjectValidation.defaultAndValidate("apps", "Deployment", d, true);
        JsonNode spec = d.get("spec");
        assertThat(spec.get("replicas").asInt()).isEqualTo(1);
        assertThat(spec.get("strategy")).isEqualTo(obj("{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':'25%','maxSurge':'25%'}}"));
        assertThat(spec.get("revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(spec.get("progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(spec.at("/template/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.at("/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(spec.at("/template/spec/containers/0/resources").isMissingNode()).isTrue();
        assertThat(d.at("/metadata/generation").asLong()).isEqualTo(1);
    }

    @Test
    void selectorMustMatchTemplateLabels() {
        ObjectNode d = obj("{'metadata':{'name':'web','namespace':'default'},'spec':{'replicas':-1,'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'other'}},'spec':{'containers':[{'name':'app','image':'nginx'}]}}}}");
        ApiException e = fails("apps", "Deployment", d);
        assertThat(described(e)).contains(
                "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`");
        assertThat(e.getMessage()).startsWith("Deployment.apps \"web\" is invalid: [");
        assertThat(e.group()).isEqualTo("apps");
    }

    @Test
    void selectorRequiredForReplicaSetStatefulSetDaemonSet() {
        for (String kind : new String[]{"ReplicaSet", "StatefulSet", "DaemonSet"}) {
            ObjectNode o = obj("{'metadata':{'name':'x','namespace':'default'},'spec':{'template':{'metadata':{'labels':{'a':'b'}},"
                    + "'spec':{'containers':[{'name':'c','image':'i'}],'restartPolicy':'Never'}}}}");
            ApiException e = fails("apps", kind, o);
            assertThat(described(e)).as(kind).contains("spec.selector: Required value",
                    "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
        }
    }

    @Test
    void statefulSetAndDaemonSetDefaults() {
        ObjectNode ss = obj("{'metadata':{'name':'db','namespace':'default'},'spec':{'selector':{'matchLabels':{'a':'b'}},"
                + "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
        ObjectValidation.defaultAndValidate("apps", "StatefulSet", ss, true);
        assertThat(ss.at("/spec/podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(ss.at("/spec/updateStrategy")).isEqualTo(obj("{'type':'RollingUpdate','rollingUpdate':{'partition':0}}"));
        assertThat(ss.at("/spec/persistentVolumeClaimRetentionPolicy")).isEqualTo(obj("{'whenDeleted':'Retain','whenScaled':'Retain'}"));
        ObjectNode ds = ss.deepCopy();
        ((ObjectNode) ds.get("spec")).remove(List.of("updateStrategy", "replicas", "podManagementPolicy", "persistentVolumeClaimRetentionPolicy"));
        ObjectValidation.defaultAndValidate("apps", "DaemonSet", ds, true);
        assertThat(ds.at("/spec/updateStrategy")).isEqualTo(obj("{'type':'RollingUpdate','rollingUpdate':{'maxUnavailable':1,'maxSurge':0}}"));
    }

    @Test
    void jobNeedsOnFailureOrNeverAndGetsDefaults() {
        ObjectNode job = obj("{'metadata':{'name':'pi','namespace':'default','uid':'1234'},'spec':{'template':{'spec':{'containers':[{'name':'pi','image':'perl'}]}}}}");
        ApiException e = fails("batch", "Job", job.deepCopy());
        assertThat(described(e)).containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
        ((ObjectNode) job.at("/spec/template/spec")).put("restartPolicy", "Never");
        ObjectValidation.defaultAndValidate("batch", "Job", job, true);
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(job.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText()).isEqualTo("1234");
        assertThat(job.at("/spec/template/metadata/labels/job-name").asText()).isEqualTo("pi");
    }

    @Test
    void cronJob() {
        ObjectNode cj = obj("{'metadata':{'name':'c','namespace':'default'},'spec':{'schedule':'*/5 * * * *','jobTemplate':{'spec':{"
                + "'template':{'spec':{'restartPolicy':'OnFailure','containers':[{'name':'c','image':'i'}]}}}}}}");
        ObjectValidation.defaultAndValidate("batch", "CronJob", cj, true);
        assertThat(cj.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cj.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cj.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(cj.at("/spec/jobTemplate/spec/backoffLimit").asInt()).isEqualTo(6);
        ObjectNode bad = obj("{'metadata':{'name':'c','namespace':'default'},'spec':{'concurrencyPolicy':'Sometimes','jobTemplate':{'spec':{"
                + "'template':{'spec':{'restartPolicy':'OnFailure','containers':[{'name':'c','image':'i'}]}}}}}}");
        assertThat(described(fails("batch", "CronJob", bad))).contains("spec.schedule: Required value",
                "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"");
    }

    @Test
    void replicationControllerTakesSelectorFromTemplate() {
        ObjectNode rc = obj("{'metadata':{'name':'rc','namespace':'default'},'spec':{'template':{'metadata':{'labels':{'app':'a'}},"
                + "'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
        ObjectValidation.defaultAndValidate("", "ReplicationController", rc, true);
        assertThat(rc.at("/spec/selector")).isEqualTo(obj("{'app':'a'}"));
        assertThat(rc.at("/metadata/labels")).isEqualTo(obj("{'app':'a'}"));
        assertThat(rc.at("/spec/replicas").asInt()).isEqualTo(1);
    }

    @Test
    void serviceDefaultsAndValidation() {
        ObjectNode svc = obj("{'metadata':{'name':'web','namespace':'default'},'spec':{'selector':{'app':'web'},'ports':[{'port':80}]}}");
        ObjectValidation.defaultAndValidate("", "Service", svc, true);
        assertThat(svc.at("/spec/type").asText()).isEqualTo("ClusterIP");
        assertThat(svc.at("/spec/sessionAffinity").asText()).isEqualTo("None");
        assertThat(svc.at("/spec/ports/0")).isEqualTo(obj("{'port':80,'protocol':'TCP','targetPort':80}"));
        assertThat(svc.at("/spec/internalTrafficPolicy").asText()).isEqualTo("Cluster");

        ObjectNode bad = obj("{'metadata':{'name':'1web','namespace':'default'},'spec':{'type':'Magic','sessionAffinity':'Sticky',"
                + "'ports':[{'port':0,'name':'a'},{'port':81,'name':'a','nodePort':30000}]}}");
        List<String> errors = described(fails("", "Service", bad));
        assertThat(errors).contains(
                "spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
                "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].name: Duplicate value: \"a\"",
                "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"");
        assertThat(errors).anySatisfy(s -> assertThat(s).startsWith("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist"));

        ObjectNode cip = obj("{'metadata':{'name':'web','namespace':'default'},'spec':{'ports':[{'port':80,'nodePort':30001}]}}");
        assertThat(described(fails("", "Service", cip))).containsExactly("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
        ObjectNode none = obj("{'metadata':{'name':'web','namespace':'default'},'spec':{}}");
        assertThat(described(fails("", "Service", none))).containsExactly("spec.ports: Required value");
    }

    @Test
    void namespace() {
        ObjectNode ns = obj("{'metadata':{'name':'team-a'}}");
        ObjectValidation.defaultAndValidate("", "Namespace", ns, true);
        assertThat(ns.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
        assertThat(ns.at("/spec/finalizers")).isEqualTo(new ObjectMapper().createArrayNode().add("kubernetes"));
        assertThat(ns.at("/status/phase").asText()).isEqualTo("Active");
        List<String> errors = described(fails("", "Namespace", obj("{'metadata':{'name':'a.b','namespace':'x'}}")));
        assertThat(errors).containsExactly("metadata.name: Invalid value: \"a.b\": must not contain dots",
                "metadata.namespace: Forbidden: not allowed on this type");
    }

    @Test
    void node() {
        ObjectNode n = obj("{'metadata':{'name':'node-1'},'spec':{'taints':[{'key':'k','effect':'Sometimes'}]},'status':{'capacity':{'cpu':'4'}}}");
        assertThat(described(fails("", "Node", n))).containsExactly(
                "spec.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
        ObjectNode ok = obj("{'metadata':{'name':'node-1'},'status':{'capacity':{'cpu':'4','memory':'8Gi'}}}");
        ObjectValidation.defaultAndValidate("", "Node", ok, true);
        assertThat(ok.at("/status/allocatable")).isEqualTo(ok.at("/status/capacity"));
    }

    @Test
    void configMapAndSecretKeys() {
        ObjectNode cm = obj("{'metadata':{'name':'c','namespace':'d'},'data':{'ok.key':'v','bad/key':'v','..x':'v'}}");
        assertThat(described(fails("", "ConfigMap", cm))).containsExactly(
                "data[bad/key]: Invalid value: \"bad/key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                "data[..x]: Invalid value: \"..x\": must not start with '..'");
        ObjectNode secret = obj("{'metadata':{'name':'s','namespace':'d'},'stringData':{'password':'hunter2'}}");
        ObjectValidation.defaultAndValidate("", "Secret", secret, true);
        assertThat(secret.get("type").asText()).isEqualTo("Opaque");
        assertThat(secret.at("/data/password").asText()).isEqualTo("aHVudGVyMg==");
        assertThat(secret.has("stringData")).isFalse();
        ObjectNode tls = obj("{'metadata':{'name':'s','namespace':'d'},'type':'kubernetes.io/tls','data':{}}");
        assertThat(described(fails("", "Secret", tls))).containsExactly("data[tls.crt]: Required value", "data[tls.key]: Required value");
    }

    @Test
    void annotationsSizeLimit() {
        ObjectNode cm = obj("{'metadata':{'name':'c','namespace':'d','annotations':{}}}");
        ((ObjectNode) cm.at("/metadata/annotations")).put("big", "x".repeat(256 * 1024));
        assertThat(described(fails("", "ConfigMap", cm))).containsExactly("metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    @Test
    void validObjectsPass() {
        assertThatCode(() -> ObjectValidation.defaultAndValidate("", "Pod", pod(), true)).doesNotThrowAnyException();
        ObjectNode generic = obj("{'metadata':{'name':'x','namespace':'d','labels':{'example.com/a':'b'}}}");
        assertThatCode(() -> ObjectValidation.defaultAndValidate("networking.k8s.io", "Ingress", generic, true)).doesNotThrowAnyException();
    }

    @Test
    void nullsCountAsAbsent() {
        ObjectNode p = pod();
        ((ObjectNode) p.get("spec")).putNull("restartPolicy");
        ObjectValidation.defaultAndValidate("", "Pod", p, false);
        assertThat(p.at("/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(p.has("status")).as("status is only initialised on create").isFalse();
    }
}
