package io.kronika.kubelet.runtime.sim;

import io.kronika.kubelet.runtime.ContainerSpec;
import io.kronika.kubelet.runtime.ContainerStatus;
import io.kronika.kubelet.runtime.ImagePullException;
import io.kronika.kubelet.runtime.SandboxSpec;
import io.kronika.kubelet.runtime.SandboxStatus;
import io.kronika.kubelet.testing.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimRuntimeTest {
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    private static ContainerSpec spec(String policy, Map<String, String> annotations) {
        return new ContainerSpec("uid-1", "ns", "pod", "c", 0, false, "nginx:1", null, null, null, List.of(), List.of(),
                100, 0, 32L << 20, 0, false, false, false, policy, annotations, Map.of());
    }

    private static ContainerStatus awaitState(SimRuntime runtime, String id, ContainerStatus.State state) throws Exception {
        TestCluster.waitUntil(() -> runtime.containerStatus(id).orElseThrow().state() == state, Duration.ofSeconds(10), state.toString());
        return runtime.containerStatus(id).orElseThrow();
    }

    @Test
    void containersRunAfterTheStartDelayAndEndAsThePolicyAndAnnotationsSay() throws Exception {
        SimRuntime runtime = new SimRuntime("n", SimRuntime.Settings.defaults().withDelays(Duration.ofMillis(20), Duration.ofMillis(50)), timers);
        SandboxStatus sandbox = runtime.runSandbox(new SandboxSpec("uid-1", "ns", "pod", "pod", false, Map.of(), Map.of()));
        assertThat(sandbox.ip()).startsWith("127.");

        String forever = runtime.startContainer(sandbox, spec("Always", Map.of()));
        String job = runtime.startContainer(sandbox, spec("Never", Map.of()));
        String failing = runtime.startContainer(sandbox, spec("Always", Map.of(SimRuntime.EXIT_CODE, "7")));
        assertThat(awaitState(runtime, job, ContainerStatus.State.EXITED).exitCode()).isZero();
        assertThat(awaitState(runtime, failing, ContainerStatus.State.EXITED).exitCode()).isEqualTo(7);
        assertThat(runtime.containerStatus(forever).orElseThrow().state()).isEqualTo(ContainerStatus.State.RUNNING);
        assertThat(runtime.usage()).containsKey(forever);
        assertThat(runtime.usage().get(forever).cpuMillis()).isBetween(1L, 100L);

        runtime.stopContainer(forever, Duration.ofSeconds(5));
        assertThat(runtime.containerStatus(forever).orElseThrow().exitCode()).isEqualTo(143);
    }

    @Test
    void failureRatesCrashContainersAndFailPulls() throws Exception {
        SimRuntime runtime = new SimRuntime("n", SimRuntime.Settings.defaults().withDelays(Duration.ZERO, Duration.ofMillis(10))
                .withFailureRates(1.0, 1.0), timers);
        SandboxStatus sandbox = runtime.runSandbox(new SandboxSpec("uid-1", "ns", "pod", "pod", false, Map.of(), Map.of()));
        String crashing = runtime.startContainer(sandbox, spec("Always", Map.of()));
        assertThat(awaitState(runtime, crashing, ContainerStatus.State.EXITED).exitCode()).isEqualTo(1);
        assertThatThrownBy(() -> runtime.pullImage("nginx:1", null)).isInstanceOf(ImagePullException.class);
        assertThat(runtime.imagePresent("registry.example.invalid/app:1")).isFalse();
    }

    @Test
    void aContainerIgnoringSigtermIsKilledWhenTheGracePeriodEnds() throws Exception {
        SimRuntime runtime = new SimRuntime("n", SimRuntime.Settings.defaults().withDelays(Duration.ZERO, Duration.ofMinutes(1)), timers);
        SandboxStatus sandbox = runtime.runSandbox(new SandboxSpec("uid-1", "ns", "pod", "pod", false, Map.of(), Map.of()));
        String stubborn = runtime.startContainer(sandbox, spec("Always", Map.of(SimRuntime.IGNORE_SIGTERM, "true")));
        awaitState(runtime, stubborn, ContainerStatus.State.RUNNING);
        Instant t0 = Instant.now();
        runtime.stopContainer(stubborn, Duration.ofMillis(300));
        assertThat(Duration.between(t0, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(runtime.containerStatus(stubborn).orElseThrow().exitCode()).isEqualTo(137);
    }

    @Test
    void goDurations() {
        assertThat(SimRuntime.duration("500ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(SimRuntime.duration("1.5s", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(SimRuntime.duration("2m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(SimRuntime.duration("junk", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }
}
