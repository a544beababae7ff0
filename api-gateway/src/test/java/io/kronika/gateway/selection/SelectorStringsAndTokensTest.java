package io.kronika.gateway.selection;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SelectorStringsAndTokensTest {
    @Test
    void labelSelectorStructsAsStrings() {
        assertThat(SelectorStrings.fromLabelSelector(Json.object("{\"matchLabels\":{\"b\":\"2\",\"a\":\"1\"},"
                + "\"matchExpressions\":[{\"key\":\"c\",\"operator\":\"NotIn\",\"values\":[\"y\",\"x\"]},"
                + "{\"key\":\"d\",\"operator\":\"Exists\"},{\"key\":\"e\",\"operator\":\"DoesNotExist\"}]}")))
                .isEqualTo("a=1,b=2,c notin (x,y),d,!e");
        assertThat(SelectorStrings.fromMap(Json.object("{\"z\":\"1\",\"app\":\"web\"}"))).isEqualTo("app=web,z=1");
        assertThat(SelectorStrings.fromLabelSelector(null)).isEmpty();
    }

    @Test
    void continueTokensRoundTripAndRefuseGarbage() {
        ContinueToken token = new ContinueToken(42, "core/ConfigMap/ns/name");
        assertThat(ContinueToken.decode(token.encode())).isEqualTo(token);
        for (String bad : new String[]{"garbage", "", "eyJ2IjoieCJ9"}) {
            assertThatThrownBy(() -> ContinueToken.decode(bad)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.code()).isEqualTo(400));
        }
    }
}
