package io.kronika.scheduler.plugins;

import io.kronika.scheduler.framework.CycleState;
import io.kronika.scheduler.framework.NodeInfo;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.framework.Snapshot;
import io.kronika.scheduler.model.PodInfo;

import java.util.List;

import static io.kronika.scheduler.testing.Objects.pod;

/** Runs a score plugin (with its pre-score) over nodes and normalizes, as the framework does. */
final class PluginScores {
    private PluginScores() {
    }

    static List<Long> of(Plugins.Score plugin, PodInfo pod, List<NodeInfo> nodes) {
        CycleState state = new CycleState();
        if (plugin instanceof Plugins.PreScore ps) {
            ps.preScore(state, pod, nodes, Snapshot.of(nodes));
        }
        long[] s = new long[nodes.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = plugin.score(state, pod, nodes.get(i));
        }
        plugin.normalize(state, pod, nodes, s);
        return java.util.Arrays.stream(s).boxed().toList();
    }
}
