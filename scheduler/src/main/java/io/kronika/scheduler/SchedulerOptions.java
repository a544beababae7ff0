package io.kronika.scheduler;

import io.kronika.eventstore.leader.KafkaLeaderElection;

import java.time.Duration;
import java.util.UUID;

/**
 * How one scheduler instance runs.
 *
 * @param instanceId            names this instance in decisions, Events and the leader election
 * @param leaderElection        elect one active instance among those of the cluster (off: this one schedules)
 * @param electionSettings      session timeout etc. of the election's group membership
 * @param recordScheduledEvents create a "Scheduled" Event per binding, as kube-scheduler does
 * @param assumedPodTtl         how long an accepted binding may take to appear in the log before it is forgotten
 * @param randomSeed            seed of the tie-break between equal scores (null: random)
 */
public record SchedulerOptions(String instanceId, boolean leaderElection, KafkaLeaderElection.Settings electionSettings,
                               boolean recordScheduledEvents, Duration assumedPodTtl, Long randomSeed) {

    public static SchedulerOptions defaults() {
        return new SchedulerOptions("scheduler-" + UUID.randomUUID().toString().substring(0, 8), true,
                KafkaLeaderElection.Settings.defaults(), true, Duration.ofSeconds(30), null);
    }

    public SchedulerOptions withInstanceId(String id) {
        return new SchedulerOptions(id, leaderElection, electionSettings, recordScheduledEvents, assumedPodTtl, randomSeed);
    }

    public SchedulerOptions withLeaderElection(boolean on) {
        return new SchedulerOptions(instanceId, on, electionSettings, recordScheduledEvents, assumedPodTtl, randomSeed);
    }

    public SchedulerOptions withElectionSettings(KafkaLeaderElection.Settings settings) {
        return new SchedulerOptions(instanceId, leaderElection, settings, recordScheduledEvents, assumedPodTtl, randomSeed);
    }

    public SchedulerOptions withScheduledEvents(boolean on) {
        return new SchedulerOptions(instanceId, leaderElection, electionSettings, on, assumedPodTtl, randomSeed);
    }

    public SchedulerOptions withRandomSeed(Long seed) {
        return new SchedulerOptions(instanceId, leaderElection, electionSettings, recordScheduledEvents, assumedPodTtl, seed);
    }
}
