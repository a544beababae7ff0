package io.kronika.eventstore.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** ResourceQuota and LimitRange at admission, as a pure function over a hand-kept sorted store. */
class NamespacePoliciesTest {
    private static final long T0 = 1_790_000_000_000L;
    private final TreeMap<String, ObjectEvent> store = new TreeMap<>();
    private long revision;

    private final AdmissionDecider.CurrentState state = new AdmissionDecider.CurrentState() {
        @Override
        public ObjectEvent get(String key) {
            return store.get(key);
        }

        @Override
        public List<ObjectEvent> scan(String prefix) {
            return store.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix)).map(e -> e.getValue()).toList();
        }
    };

    private Decision create(String kind, String name, String json) {
        return apply(io.kronika.schemas.Operation.CREATE, kind, name, json);
    }

    private Decision apply(io.kronika.schemas.Operation op, String kind, String name, String json) {
        ObjectRef ref = ObjectKeys.ref("", kind, kind.equals("Namespace") ? "" : "ns", name);
        var command = op == io.kronika.schemas.Operation.CREATE ? Commands.create(ref, json, Commands.actor("u", "t"))
                : Commands.update(ref, json, null, Commands.actor("u", "t"));
        Decision decision = AdmissionDecider.decide(command, state, revision + 1, T0 + revision * 1000);
        if (decision.appends()) {
            revision++;
            store.put(decision.key(), decision.event());
        }
        return decision;
    }

    private static String pod(String name, String resources) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"" + (resources == null ? "" : ",\"resources\":" + resources) + "}]}}";
    }

    private static String quota(String name, String hard) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"hard\":" + hard + "}}";
    }

    private static String limitRange(String item) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"LimitRange\",\"metadata\":{\"name\":\"limits\"},\"spec\":{\"limits\":[" + item + "]}}";
    }

    private static JsonNode object(Decision d) throws Exception {
        return ObjectJson.MAPPER.readTree(d.result().getObject());
    }

    @BeforeEach
    void namespace() {
        create("Namespace", "ns", "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}");
    }

    @Test
    void podCountQuotaRefusesTheThirdPodWithKubernetesMessage() {
        assertThat(create("ResourceQuota", "q", quota("q", "{\"pods\":\"2\"}")).result().getOutcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(create("Pod", "a", pod("a", null)).appends()).isTrue();
        assertThat(create("Pod", "b", pod("b", null)).appends()).isTrue();
        Decision third = create("Pod", "c", pod("c", null));
        assertThat(third.appends()).isFalse();
        assertThat(third.result().getCode()).isEqualTo(403);
        assertThat(third.result().getReason()).isEqualTo("Forbidden");
        assertThat(third.result().getMessage())
                .isEqualTo("pods \"c\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2");
    }

    @Test
    void finishedPodsDoNotCountAndOtherKindsAreCountedByResource() {
        create("ResourceQuota", "q", quota("q", "{\"pods\":\"1\",\"count/configmaps\":\"1\"}"));
        create("Pod", "a", pod("a", null));
        String done = pod("a", null).replace("}]}}", "}]},\"status\":{\"phase\":\"Succeeded\"}}");
        store.put(ObjectKeys.of("", "Pod", "ns", "a"), ObjectEvent.newBuilder(store.get(ObjectKeys.of("", "Pod", "ns", "a"))).setObject(done).build());
        assertThat(create("Pod", "b", pod("b", null)).appends()).isTrue();

        assertThat(create("ConfigMap", "one", "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}}").appends()).isTrue();
        Decision two = create("ConfigMap", "two", "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"two\"}}");
        assertThat(two.result().getMessage()).isEqualTo("configmaps \"two\" is forbidden: exceeded quota: q, requested: count/configmaps=1, "
                + "used: count/configmaps=1, limited: count/configmaps=1");
    }

    @Test
    void computeQuotaSumsExactlyAndRequiresRequests() {
        create("ResourceQuota", "compute", quota("compute", "{\"requests.cpu\":\"1\",\"limits.memory\":\"1Gi\",\"cpu\":\"1\"}"));
        String r = "{\"requests\":{\"cpu\":\"300m\"},\"limits\":{\"memory\":\"512Mi\"}}";
        assertThat(create("Pod", "a", pod("a", r)).appends()).isTrue();
        assertThat(create("Pod", "b", pod("b", r.replace("512Mi", "256Mi"))).appends()).isTrue();
        assertThat(create("Pod", "c", pod("c", r.replace("300m", "400m").replace("512Mi", "256Mi"))).appends()).isTrue();
        Decision d = create("Pod", "d", pod("d", "{\"requests\":{\"cpu\":\"1m\"},\"limits\":{\"memory\":\"1Mi\"}}"));
        assertThat(d.result().getMessage()).isEqualTo("pods \"d\" is forbidden: exceeded quota: compute, requested: "
                + "cpu=1m,limits.memory=1Mi,requests.cpu=1m, used: cpu=1,limits.memory=1Gi,requests.cpu=1, limited: cpu=1,limits.memory=1Gi,requests.cpu=1");

        Decision missing = create("Pod", "e", pod("e", null));
        assertThat(missing.result().getCode()).isEqualTo(403);
        assertThat(missing.result().getMessage()).isEqualTo("pods \"e\" is forbidden: failed quota: compute: must specify "
                + "cpu for: c; limits.memory for: c; requests.cpu for: c");
    }

    @Test
    void growingAPodsResourcesIsCheckedAgainstQuota() {
        create("ResourceQuota", "compute", quota("compute", "{\"requests.cpu\":\"1\"}"));
        create("Pod", "a", pod("a", "{\"requests\":{\"cpu\":\"500m\"}}"));
        create("Pod", "b", pod("b", "{\"requests\":{\"cpu\":\"500m\"}}"));
        Decision grow = apply(io.kronika.schemas.Operation.UPDATE, "Pod", "a", pod("a", "{\"requests\":{\"cpu\":\"600m\"}}"));
        assertThat(grow.result().getMessage()).isEqualTo("pods \"a\" is forbidden: exceeded quota: compute, requested: requests.cpu=100m, "
                + "used: requests.cpu=1, limited: requests.cpu=1");
        Decision shrink = apply(io.kronika.schemas.Operation.UPDATE, "Pod", "a", pod("a", "{\"requests\":{\"cpu\":\"400m\"}}"));
        assertThat(shrink.appends()).isTrue();
    }

    @Test
    void limitRangeFillsDefaultsAndRecordsThem() throws Exception {
        create("LimitRange", "limits", limitRange("{\"type\":\"Container\",\"default\":{\"cpu\":\"500m\",\"memory\":\"256Mi\"},"
                + "\"defaultRequest\":{\"cpu\":\"100m\"}}"));
        Decision created = create("Pod", "a", pod("a", "{\"limits\":{\"memory\":\"128Mi\"}}"));
        JsonNode resources = object(created).at("/spec/containers/0/resources");
        assertThat(resources.at("/limits/cpu").asText()).isEqualTo("500m");
        assertThat(resources.at("/limits/memory").asText()).isEqualTo("128Mi");
        assertThat(resources.at("/requests/cpu").asText()).isEqualTo("100m");
        assertThat(resources.at("/requests/memory").isMissingNode()).as("a set limit is the request").isTrue();
        assertThat(object(created).at("/metadata/annotations").get(LimitRanges.ANNOTATION).asText())
                .isEqualTo("LimitRanger plugin set: cpu request for container c; cpu limit for container c");
    }

    @Test
    void limitRangeMinAndMaxRefuseWithKubernetesMessages() {
        create("LimitRange", "limits", limitRange("{\"type\":\"Container\",\"max\":{\"cpu\":\"1\"},\"min\":{\"memory\":\"64Mi\"}}"));
        Decision tooMuch = create("Pod", "a", pod("a", "{\"limits\":{\"cpu\":\"2\",\"memory\":\"128Mi\"}}"));
        assertThat(tooMuch.result().getCode()).isEqualTo(403);
        assertThat(tooMuch.result().getMessage()).isEqualTo("pods \"a\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");

        Decision both = create("Pod", "b", pod("b", "{\"limits\":{\"cpu\":\"2\",\"memory\":\"32Mi\"}}"));
        assertThat(both.result().getMessage()).isEqualTo("pods \"b\" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, "
                + "minimum memory usage per Container is 64Mi, but limit is 32Mi, maximum cpu usage per Container is 1, but limit is 2]");

        Decision defaulted = create("Pod", "c", pod("c", null));
        assertThat(defaulted.appends()).as("max defaults the limit, min the request").isTrue();
    }

    @Test
    void limitRangeDefaultsCountTowardQuotaInTheSameDecision() {
        create("LimitRange", "limits", limitRange("{\"type\":\"Container\",\"defaultRequest\":{\"cpu\":\"600m\"}}"));
        create("ResourceQuota", "q", quota("q", "{\"requests.cpu\":\"1\"}"));
        assertThat(create("Pod", "a", pod("a", null)).appends()).isTrue();
        assertThat(create("Pod", "b", pod("b", null)).result().getMessage()).contains("exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m");
    }

    @Test
    void scopedQuotasCoverOnlyThePodsInTheirScope() {
        create("ResourceQuota", "best-effort", "{\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"best-effort\"},"
                + "\"spec\":{\"hard\":{\"pods\":\"1\"},\"scopes\":[\"BestEffort\"]}}");
        create("ResourceQuota", "high", "{\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"high\"},\"spec\":{\"hard\":{\"pods\":\"0\"},"
                + "\"scopeSelector\":{\"matchExpressions\":[{\"scopeName\":\"PriorityClass\",\"operator\":\"In\",\"values\":[\"high\"]}]}}}");
        assertThat(create("Pod", "a", pod("a", null)).appends()).isTrue();
        assertThat(create("Pod", "b", pod("b", null)).result().getMessage()).contains("exceeded quota: best-effort");
        assertThat(create("Pod", "c", pod("c", "{\"requests\":{\"cpu\":\"1\"}}")).appends()).as("not best effort").isTrue();
        assertThat(create("ConfigMap", "cm", "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\"}}").appends()).isTrue();
        String high = pod("d", "{\"requests\":{\"cpu\":\"1\"}}").replace("\"containers\"", "\"priorityClassName\":\"high\",\"containers\"");
        assertThat(create("Pod", "d", high).result().getMessage()).contains("exceeded quota: high, requested: pods=1, used: pods=0, limited: pods=0");
    }
}
