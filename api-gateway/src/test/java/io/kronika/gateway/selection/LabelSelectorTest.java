package io.kronika.gateway.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelSelectorTest {
    private static JsonNode labels(String json) {
        return Json.object(json);
    }

    private static boolean matches(String selector, String labelsJson) {
        return LabelSelector.parse(selector).matches(labels(labelsJson));
    }

    @Test
    void equalityBasedRequirements() {
        assertThat(matches("a=b", "{\"a\":\"b\"}")).isTrue();
        assertThat(matches("a==b", "{\"a\":\"b\"}")).isTrue();
        assertThat(matches("a=b", "{\"a\":\"c\"}")).isFalse();
        assertThat(matches("a!=b", "{\"a\":\"c\"}")).isTrue();
        assertThat(matches("a!=b", "{}")).isTrue();
        assertThat(matches("a=", "{\"a\":\"\"}")).isTrue();
    }

    @Test
    void setBasedRequirements() {
        assertThat(matches("env in (prod, qa)", "{\"env\":\"qa\"}")).isTrue();
        assertThat(matches("env in (prod,qa)", "{\"env\":\"dev\"}")).isFalse();
        assertThat(matches("env notin (prod)", "{}")).isTrue();
        assertThat(matches("env notin (prod)", "{\"env\":\"prod\"}")).isFalse();
        assertThat(matches("env", "{\"env\":\"x\"}")).isTrue();
        assertThat(matches("!env", "{\"env\":\"x\"}")).isFalse();
        assertThat(matches("!env", "{}")).isTrue();
        assertThat(matches("n>3,n<10", "{\"n\":\"5\"}")).isTrue();
        assertThat(matches("n>3", "{\"n\":\"x\"}")).isFalse();
        assertThat(matches("a=b, example.com/c in (d), !e", "{\"a\":\"b\",\"example.com/c\":\"d\"}")).isTrue();
    }

    @Test
    void emptySelectsEverything() {
        assertThat(LabelSelector.parse("").isEmpty()).isTrue();
        assertThat(LabelSelector.parse(null).matches(null)).isTrue();
    }

    @Test
    void rendersAsKubernetesDoesSortedByKey() {
        assertThat(LabelSelector.parse("z=1,a in (y,x),!m,k").toString()).isEqualTo("a in (x,y),k,!m,z=1");
    }

    @Test
    void syntaxErrorsAreBadRequests() {
        for (String bad : new String[]{"a in (b", "a in b", "=b", "a=b=c", "a b", "in (x)", "a=b,", "bad key!=x", "a=" + "x".repeat(64)}) {
            assertThatThrownBy(() -> LabelSelector.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
        }
    }
}
