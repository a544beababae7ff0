package io.kronika.schemas.k8s;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LabelSelectorsTest {
    private static boolean matches(String selector, Map<String, String> labels) {
        return LabelSelectors.matches(JsonTrees.parseObject(selector), labels);
    }

    @Test
    void matchLabelsAndEveryOperator() {
        Map<String, String> labels = Map.of("app", "web", "tier", "front");
        assertThat(matches("{}", labels)).isTrue();
        assertThat(matches("{\"matchLabels\":{\"app\":\"web\"}}", labels)).isTrue();
        assertThat(matches("{\"matchLabels\":{\"app\":\"db\"}}", labels)).isFalse();
        assertThat(matches("{\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"back\",\"front\"]}]}", labels)).isTrue();
        assertThat(matches("{\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"NotIn\",\"values\":[\"front\"]}]}", labels)).isFalse();
        assertThat(matches("{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"NotIn\",\"values\":[\"a\"]}]}", labels)).isTrue();
        assertThat(matches("{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Exists\"}]}", labels)).isTrue();
        assertThat(matches("{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"DoesNotExist\"}]}", labels)).isFalse();
        assertThat(matches("{\"matchExpressions\":[{\"key\":\"app\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}", labels)).isFalse();
    }
}
