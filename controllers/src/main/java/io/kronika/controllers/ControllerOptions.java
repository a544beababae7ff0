package io.kronika.controllers;

import io.kronika.controllers.core.NodeLifecycleController;
import io.kronika.controllers.core.PodGarbageCollector;
import io.kronika.eventstore.leader.KafkaLeaderElection;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Options of the controller manager.
 *
 * @param instanceId     this member's name in the leader election and in the actor of its commands
 * @param leaderElection join the "controller-manager" election through Kafka and act only while leading
 * @param enabled        names of the controllers to run ({@link ControllerManager#ALL}: every one)
 * @param clock          time for every time-driven decision (tests pass a {@link io.kronika.controllers.framework.MutableClock})
 * @param nodeLifecycle  durations of the node lifecycle controller
 * @param resyncPeriod   every key of every controller is looked at again this often
 * @param localPathDir   where the local-path provisioner puts the hostPath volumes it provisions
 * @param podGc          period, quarantine and threshold of the pod garbage collector
 * @param rootCaPem      the cluster CA the root-ca-cert-publisher puts in every namespace's kube-root-ca.crt; null: not published
 */
public record ControllerOptions(String instanceId, boolean leaderElection, KafkaLeaderElection.Settings electionSettings,
                                Set<String> enabled, Clock clock, NodeLifecycleController.Settings nodeLifecycle,
                                Duration resyncPeriod, java.nio.file.Path localPathDir, PodGarbageCollector.Settings podGc,
                                String rootCaPem) {
    public static ControllerOptions defaults() {
        return new ControllerOptions("controllers-" + ProcessHandle.current().pid(), true, KafkaLeaderElection.Settings.defaults(),
                ControllerManager.ALL, Clock.systemUTC(), NodeLifecycleController.Settings.defaults(), Duration.ofMinutes(5),
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "kronika-local-path"), PodGarbageCollector.Settings.defaults(), null);
    }

    public ControllerOptions withInstanceId(String id) {
        return new ControllerOptions(id, leaderElection, electionSettings, enabled, clock, nodeLifecycle, resyncPeriod, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withLeaderElection(boolean on) {
        return new ControllerOptions(instanceId, on, electionSettings, enabled, clock, nodeLifecycle, resyncPeriod, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withElectionSettings(KafkaLeaderElection.Settings s) {
        return new ControllerOptions(instanceId, leaderElection, s, enabled, clock, nodeLifecycle, resyncPeriod, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withEnabled(Set<String> names) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, Set.copyOf(names), clock, nodeLifecycle, resyncPeriod, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withClock(Clock c) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, enabled, c, nodeLifecycle, resyncPeriod, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withNodeLifecycle(NodeLifecycleController.Settings s) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, enabled, clock, s, resyncPeriod, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withLocalPathDir(java.nio.file.Path dir) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, enabled, clock, nodeLifecycle, resyncPeriod, dir, podGc, rootCaPem);
    }

    public ControllerOptions withResyncPeriod(Duration d) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, enabled, clock, nodeLifecycle, d, localPathDir, podGc, rootCaPem);
    }

    public ControllerOptions withPodGc(PodGarbageCollector.Settings s) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, enabled, clock, nodeLifecycle, resyncPeriod, localPathDir, s, rootCaPem);
    }

    public ControllerOptions withRootCa(String pem) {
        return new ControllerOptions(instanceId, leaderElection, electionSettings, enabled, clock, nodeLifecycle, resyncPeriod, localPathDir, podGc, pem);
    }
}
