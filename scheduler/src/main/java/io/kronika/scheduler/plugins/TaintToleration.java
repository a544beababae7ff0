package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.framework.Status;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.model.Taint;
import io.kronika.scheduler.model.Toleration;

import java.util.List;

/**
 * Filter: a NoSchedule or NoExecute taint the pod does not tolerate rules the node out.
 * Score: fewer untolerated PreferNoSchedule taints is better.
 */
public final class TaintToleration implements Plugins.Filter, Plugins.PreScore, Plugins.Score {
    public static final String NAME = "TaintToleration";

    private record PreferTolerations(List<Toleration> tolerations) implements CycleState.Data {
        @Override
        public CycleState.Data copy() {
            return this;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        for (Taint taint : node.node().taints()) {
            if ((Taint.NO_SCHEDULE.equals(taint.effect()) || Taint.NO_EXECUTE.equals(taint.effect()))
                    && !Toleration.anyTolerates(pod.tolerations(), taint)) {
                return Status.unresolvable("node(s) had untolerated taint " + taint.describe());
            }
        }
        return Status.SUCCESS;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible, Snapshot snapshot) {
        List<Toleration> prefer = pod.tolerations().stream()
                .filter(t -> t.effect().isEmpty() || Taint.PREFER_NO_SCHEDULE.equals(t.effect()))
                .toList();
        state.put(NAME, new PreferTolerations(prefer));
        return Status.SUCCESS;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        PreferTolerations prefer = state.get(NAME);
        List<Toleration> tolerations = prefer == null ? pod.tolerations() : prefer.tolerations();
        long count = 0;
        for (Taint taint : node.node().taints()) {
            if (Taint.PREFER_NO_SCHEDULE.equals(taint.effect()) && !Toleration.anyTolerates(tolerations, taint)) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void normalize(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        Plugins.defaultNormalize(scores, true);
    }
}
