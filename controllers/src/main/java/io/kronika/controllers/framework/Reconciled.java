package io.kronika.controllers.framework;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The outcome of one reconcile: the actions to take, and when to look again (null: when something changes). */
public record Reconciled(List<Action> actions, Duration requeueAfter) {
    public static Reconciled nothing() {
        return new Reconciled(List.of(), null);
    }

    public static Reconciled of(List<Action> actions) {
        return new Reconciled(actions, null);
    }

    public Reconciled after(Duration delay) {
        Duration d = requeueAfter == null || delay.compareTo(requeueAfter) < 0 ? delay : requeueAfter;
        return new Reconciled(actions, d);
    }

    public Reconciled plus(List<Action> more) {
        List<Action> all = new ArrayList<>(actions);
        all.addAll(more);
        return new Reconciled(all, requeueAfter);
    }
}
