package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.model.PodInfo;

/**
 * Pre-filter state built from counts of pods, kept current while preemption tries pods on and off a node: each pod
 * added counts +1, each pod removed -1.
 */
interface PodCountState extends CycleState.Data {
    /** Counts {@code other}, on {@code node}, {@code delta} times (1 or -1) for the pod being scheduled. */
    void update(PodInfo incoming, PodInfo other, NodeInfo node, int delta);

    /** Extensions that pass pods added and removed to the {@link PodCountState} under {@code key}, when there is one. */
    static Plugins.PreFilterExtensions extensions(String key) {
        return new Plugins.PreFilterExtensions() {
            @Override
            public void addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node, Snapshot snapshot) {
                PodCountState s = state.get(key);
                if (s != null) {
                    s.update(podToSchedule, podToAdd, node, 1);
                }
            }

            @Override
            public void removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node, Snapshot snapshot) {
                PodCountState s = state.get(key);
                if (s != null) {
                    s.update(podToSchedule, podToRemove, node, -1);
                }
            }
        };
    }
}
