package io.kronika.kubelet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kronika.kubelet.util.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes' getPhase rules over container statuses. */
class PodPhaseTest {
    private static ArrayNode statuses(String... json) {
        ArrayNode array = Json.array();
        for (String s : json) {
            array.add(Json.parse(s));
        }
        return array;
    }

    private static final String RUNNING = "{\"state\":{\"running\":{}}}";
    private static final String CREATING = "{\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}";
    private static final String OK = "{\"state\":{\"terminated\":{\"exitCode\":0}}}";
    private static final String FAILED = "{\"state\":{\"terminated\":{\"exitCode\":1}}}";
    private static final String BACKOFF = "{\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},\"lastState\":{\"terminated\":{\"exitCode\":1}}}";

    private static String phase(String policy, ArrayNode init, ArrayNode containers) {
        return PodWorker.phase(Json.parse("{\"spec\":{\"restartPolicy\":\"" + policy + "\"}}"), init, containers);
    }

    @Test
    void phases() {
        assertThat(phase("Always", statuses(), statuses(CREATING))).isEqualTo("Pending");
        assertThat(phase("Always", statuses(), statuses(RUNNING, CREATING))).isEqualTo("Pending");
        assertThat(phase("Always", statuses(), statuses(RUNNING, OK))).isEqualTo("Running");
        assertThat(phase("Always", statuses(), statuses(BACKOFF))).isEqualTo("Running");
        assertThat(phase("Always", statuses(), statuses(OK))).isEqualTo("Running");
        assertThat(phase("Never", statuses(), statuses(OK, OK))).isEqualTo("Succeeded");
        assertThat(phase("Never", statuses(), statuses(OK, FAILED))).isEqualTo("Failed");
        assertThat(phase("OnFailure", statuses(), statuses(FAILED))).isEqualTo("Running");
        assertThat(phase("OnFailure", statuses(), statuses(OK))).isEqualTo("Succeeded");
        assertThat(phase("Always", statuses(RUNNING), statuses(CREATING))).isEqualTo("Pending");
        assertThat(phase("Never", statuses(FAILED), statuses(CREATING))).isEqualTo("Failed");
        assertThat(phase("Always", statuses(BACKOFF), statuses(CREATING))).isEqualTo("Pending");
        assertThat(phase("Always", statuses(OK), statuses(RUNNING))).isEqualTo("Running");
    }
}
