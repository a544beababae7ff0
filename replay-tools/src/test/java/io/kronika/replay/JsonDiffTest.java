package io.kronika.replay;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class JsonDiffTest {
    @Test
    void reportsLeafChangesWithPaths() {
        var a = Jsons.parse("{\"spec\":{\"replicas\":2,\"containers\":[{\"image\":\"a:1\"},{\"image\":\"b\"}]},\"metadata\":{\"resourceVersion\":\"5\",\"labels\":{\"x\":\"1\"}}}");
        var b = Jsons.parse("{\"spec\":{\"replicas\":3,\"containers\":[{\"image\":\"a:2\"}]},\"metadata\":{\"resourceVersion\":\"9\",\"labels\":{\"y\":\"2\"}},\"status\":{}}");
        assertThat(JsonDiff.diff(a, b, Set.of("metadata.resourceVersion"))).extracting(Object::toString).containsExactly(
                "- metadata.labels.x: 1",
                "+ metadata.labels.y: 2",
                "~ spec.containers[0].image: a:1 -> a:2",
                "- spec.containers[1]: {\"image\":\"b\"}",
                "~ spec.replicas: 2 -> 3",
                "+ status: {}");
        assertThat(JsonDiff.diff(a, a)).isEmpty();
        assertThat(JsonDiff.diff(null, b)).hasSize(1);
    }

    @Test
    void matchesListsOfNamedThingsByName() {
        var a = Jsons.parse("{\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"True\"}],\"containers\":[{\"name\":\"app\",\"image\":\"a:1\"},{\"name\":\"side\",\"image\":\"s\"}]}");
        var b = Jsons.parse("{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},{\"type\":\"PodScheduled\",\"status\":\"True\"}],\"containers\":[{\"name\":\"side\",\"image\":\"s\"},{\"name\":\"app\",\"image\":\"a:2\"}]}");
        assertThat(JsonDiff.diff(a, b)).extracting(Object::toString).containsExactly(
                "+ conditions[type=Ready]: {\"type\":\"Ready\",\"status\":\"False\"}",
                "~ containers[name=app].image: a:1 -> a:2");
    }

    @Test
    void kindMatcherAcceptsWhatPeopleType() {
        var pod = io.kronika.schemas.ObjectKeys.ref("", "Pod", "ns", "p");
        var deploy = io.kronika.schemas.ObjectKeys.ref("apps", "Deployment", "ns", "d");
        var policy = io.kronika.schemas.ObjectKeys.ref("networking.k8s.io", "NetworkPolicy", "ns", "n");
        assertThat(KindMatcher.parse("pods").matches(pod)).isTrue();
        assertThat(KindMatcher.parse("Pod").matches(pod)).isTrue();
        assertThat(KindMatcher.parse("deployments.apps").matches(deploy)).isTrue();
        assertThat(KindMatcher.parse("deployment.batch").matches(deploy)).isFalse();
        assertThat(KindMatcher.parse("networkpolicies").matches(policy)).isTrue();
        assertThat(KindMatcher.parse("pod").matches(deploy)).isFalse();
    }
}
