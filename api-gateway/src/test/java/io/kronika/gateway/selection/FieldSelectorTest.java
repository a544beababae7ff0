package io.kronika.gateway.selection;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.BuiltinResources;
import io.kronika.gateway.catalog.ResourceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldSelectorTest {
    private static ResourceType type(String plural) {
        return BuiltinResources.all().stream().filter(t -> t.plural().equals(plural)).findFirst().orElseThrow();
    }

    @Test
    void podFields() {
        FieldSelector selector = FieldSelector.parse("spec.nodeName=n1,status.phase!=Failed", type("pods"));
        assertThat(selector.matches("ns", "p", Json.object("{\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Running\"}}"))).isTrue();
        assertThat(selector.matches("ns", "p", Json.object("{\"spec\":{\"nodeName\":\"n1\"},\"status\":{\"phase\":\"Failed\"}}"))).isFalse();
        assertThat(FieldSelector.parse("spec.nodeName=", type("pods")).matches("ns", "p", Json.object("{\"spec\":{}}"))).isTrue();
        assertThat(FieldSelector.parse("spec.hostNetwork=false", type("pods")).matches("ns", "p", Json.object("{}"))).isTrue();
    }

    @Test
    void metadataFieldsForEveryKind() {
        FieldSelector selector = FieldSelector.parse("metadata.name==a,metadata.namespace=ns", type("configmaps"));
        assertThat(selector.matches("ns", "a", null)).isTrue();
        assertThat(selector.matches("ns", "b", null)).isFalse();
        assertThat(selector.metadataOnly()).isTrue();
        assertThat(selector.required("metadata.namespace")).isEqualTo("ns");
    }

    @Test
    void escapedValues() {
        FieldSelector selector = FieldSelector.parse("metadata.name=a\\,b", type("configmaps"));
        assertThat(selector.matches("ns", "a,b", null)).isTrue();
    }

    @Test
    void unsupportedFieldsAndSyntaxAreBadRequests() {
        assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=x", type("configmaps")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("field label not supported: spec.nodeName"));
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name", type("configmaps")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }
}
