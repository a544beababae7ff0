package io.kronika.controllers;

import io.kronika.controllers.core.RootCaCertPublisher;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.Reconciled;
import org.junit.jupiter.api.Test;

import static io.kronika.controllers.testing.Objects.cached;
import static org.assertj.core.api.Assertions.assertThat;

/** The pure reconcile of the root-ca-cert-publisher: create, leave alone, repair, and nothing in a terminating namespace. */
class RootCaCertPublisherTest {
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Test
    void anActiveNamespaceWithoutTheConfigMapGetsOneHoldingTheCa() {
        Reconciled result = RootCaCertPublisher.sync(namespace("team", "Active"), null, CA);
        assertThat(result.actions()).singleElement().isInstanceOfSatisfying(Action.Create.class, create -> {
            assertThat(create.target().getNamespace()).isEqualTo("team");
            assertThat(create.target().getName()).isEqualTo("kube-root-ca.crt");
            assertThat(create.object().path("data").path("ca.crt").asText()).isEqualTo(CA);
        });
    }

    @Test
    void aCurrentConfigMapIsLeftAloneAndAChangedOneIsPutBack() {
        CachedObject current = configMap("team", "{\"ca.crt\":" + quoted(CA) + "}");
        assertThat(RootCaCertPublisher.sync(namespace("team", "Active"), current, CA).actions()).isEmpty();
        CachedObject tampered = configMap("team", "{\"ca.crt\":\"not the CA\",\"extra\":\"x\"}");
        assertThat(RootCaCertPublisher.sync(namespace("team", "Active"), tampered, CA).actions()).singleElement()
                .isInstanceOfSatisfying(Action.Update.class, update -> {
                    assertThat(update.expectedRevision()).isEqualTo(tampered.revision());
                    assertThat(update.object().path("data").size()).isEqualTo(1);
                    assertThat(update.object().path("data").path("ca.crt").asText()).isEqualTo(CA);
                });
    }

    @Test
    void aTerminatingNamespaceGetsNothing() {
        assertThat(RootCaCertPublisher.sync(namespace("gone", "Terminating"), null, CA).actions()).isEmpty();
    }

    private static CachedObject namespace(String name, String phase) {
        return cached("", "Namespace", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name
                + "\"},\"status\":{\"phase\":\"" + phase + "\"}}");
    }

    private static CachedObject configMap(String ns, String dataJson) {
        return cached("", "ConfigMap", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kube-root-ca.crt\",\"namespace\":\""
                + ns + "\"},\"data\":" + dataJson + "}");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }
}
