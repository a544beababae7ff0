package io.kronika.scheduler.framework;

import java.util.List;

/**
 * The verdict of a plugin. UNSCHEDULABLE may be resolved by preempting pods on the node;
 * UNSCHEDULABLE_AND_UNRESOLVABLE can not (the node's labels or taints rule the pod out). SKIP from a
 * pre-filter or pre-score plugin means its filter or score does not apply to this pod.
 */
public record Status(Code code, List<String> reasons, String plugin) {
    public enum Code { SUCCESS, UNSCHEDULABLE, UNSCHEDULABLE_AND_UNRESOLVABLE, SKIP, ERROR }

    public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), "");
    public static final Status SKIP = new Status(Code.SKIP, List.of(), "");

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons), "");
    }

    public static Status unschedulable(List<String> reasons) {
        return new Status(Code.UNSCHEDULABLE, List.copyOf(reasons), "");
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), "");
    }

    public static Status error(String message) {
        return new Status(Code.ERROR, List.of(message), "");
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    /** Unschedulable, resolvable or not. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
    }

    public Status withPlugin(String name) {
        return plugin.equals(name) ? this : new Status(code, reasons, name);
    }

    public String message() {
        return String.join(", ", reasons);
    }
}
