package io.kronika.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Data plugins compute once per scheduling attempt (pre-filter, pre-score) and read per node. */
public final class CycleState {
    /** State a plugin keeps; copied when preemption evaluates what-ifs. */
    public interface Data {
        Data copy();
    }

    private final Map<String, Data> data = new HashMap<>();
    private final Set<String> skipFilter = new HashSet<>();
    private final Set<String> skipScore = new HashSet<>();

    public void put(String key, Data value) {
        data.put(key, value);
    }

    @SuppressWarnings("unchecked")
    public <T extends Data> T get(String key) {
        return (T) data.get(key);
    }

    public Set<String> skipFilter() {
        return skipFilter;
    }

    public Set<String> skipScore() {
        return skipScore;
    }

    public CycleState copy() {
        CycleState c = new CycleState();
        data.forEach((k, v) -> c.data.put(k, v == null ? null : v.copy()));
        c.skipFilter.addAll(skipFilter);
        c.skipScore.addAll(skipScore);
        return c;
    }
}
