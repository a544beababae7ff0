package io.kronika.scheduler;

/**
 * Counters of one scheduler instance since it started.
 *
 * @param attempts           scheduling attempts (a pod tried once against the cluster)
 * @param bound              bindings the admission processor accepted
 * @param bindConflicts      bindings refused because another scheduler had bound the pod first
 * @param bindErrors         bindings that failed otherwise (the pod is retried)
 * @param unschedulable      attempts that found no node
 * @param preemptions        preemptions started (victims evicted, the pod nominated)
 * @param active             pods waiting in the active queue
 * @param backoff            pods waiting out a back-off
 * @param waiting            pods unschedulable until the cluster changes
 * @param gated              pods with scheduling gates
 * @param nodes              nodes in the cache
 * @param assumed            pods assumed onto nodes, their binding not yet seen in the log
 * @param appliedRevision    the last revision of the log applied to the cache
 * @param leader             whether this instance is the one scheduling
 */
public record SchedulerStats(long attempts, long bound, long bindConflicts, long bindErrors, long unschedulable,
                             long preemptions, int active, int backoff, int waiting, int gated, int nodes, int assumed,
                             long appliedRevision, boolean leader) {
}
