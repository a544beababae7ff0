package io.kronika.kubelet.util;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The lastTransitionTime of status conditions, per condition type: kept while its status stays, now when it changes. */
public final class ConditionTransitions {
    private final Map<String, String[]> byType = new HashMap<>(); // type -> {status, lastTransitionTime}

    /** The condition's lastTransitionTime, given its status now. */
    public String lastTransitionTime(String type, String status, Instant now) {
        return byType.compute(type, (t, old) -> old != null && old[0].equals(status) ? old : new String[]{status, Json.time(now)})[1];
    }

    /** Takes up a condition as it was last reported (e.g. by an earlier kubelet). */
    public void restore(String type, String status, String lastTransitionTime) {
        byType.put(type, new String[]{status, lastTransitionTime});
    }
}
