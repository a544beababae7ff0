package io.kronika.launcher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.replay.Jsons;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryKubeconfigCommandTest {
    private static final String LIVE = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: kronika
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: Q0E=
            contexts:
            - name: kronika
              context:
                cluster: kronika
                user: admin
                namespace: default
            current-context: kronika
            users:
            - name: admin
              user:
                token: secret
            """;

    @Test
    void theServerMovesToThePastAndEverythingElseStays() throws Exception {
        ObjectNode live = (ObjectNode) Jsons.YAML.readTree(LIVE);
        ObjectNode past = HistoryKubeconfigCommand.pastOf(live, "https://127.0.0.1:7443/", "/history/revision/42", "revision-42");
        assertThat(past.at("/clusters/0/cluster/server").asText()).isEqualTo("https://127.0.0.1:7443/history/revision/42");
        assertThat(past.at("/clusters/0/cluster/certificate-authority-data").asText()).isEqualTo("Q0E=");
        assertThat(past.at("/clusters/0/name").asText()).isEqualTo("kronika-revision-42");
        assertThat(past.at("/contexts/0/context/cluster").asText()).isEqualTo("kronika-revision-42");
        assertThat(past.at("/contexts/0/context/user").asText()).isEqualTo("admin");
        assertThat(past.path("current-context").asText()).isEqualTo("kronika-revision-42");
        assertThat(past.at("/users/0/user/token").asText()).isEqualTo("secret");
        assertThat(live.at("/clusters/0/cluster/server").asText()).as("the live kubeconfig is untouched").isEqualTo("https://127.0.0.1:6443");
        ObjectNode fromServer = HistoryKubeconfigCommand.pastOf(live, null, "/history/time/2026-01-02T03:04:05Z", "t");
        assertThat(fromServer.at("/clusters/0/cluster/server").asText()).isEqualTo("https://127.0.0.1:6443/history/time/2026-01-02T03:04:05Z");
    }
}
