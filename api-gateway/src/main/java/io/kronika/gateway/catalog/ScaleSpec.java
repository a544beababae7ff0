package io.kronika.gateway.catalog;

/**
 * Where a scalable resource keeps its replica counts and selector, for the autoscaling/v1 Scale subresource.
 * Paths are dot-separated JSON paths with a leading dot, as CRDs write them ({@code .spec.replicas}).
 *
 * @param selectorPath   where the selector lives
 * @param selectorStyle  how it is written there
 */
public record ScaleSpec(String specReplicasPath, String statusReplicasPath, String selectorPath, SelectorStyle selectorStyle) {
    public enum SelectorStyle {
        /** A metav1.LabelSelector (matchLabels, matchExpressions): deployments, replicasets, statefulsets. */
        LABEL_SELECTOR,
        /** A plain map of labels: replicationcontrollers. */
        MAP,
        /** Already a selector string: custom resources' labelSelectorPath. */
        STRING
    }

    public static final ScaleSpec APPS = new ScaleSpec(".spec.replicas", ".status.replicas", ".spec.selector", SelectorStyle.LABEL_SELECTOR);
    public static final ScaleSpec REPLICATION_CONTROLLER = new ScaleSpec(".spec.replicas", ".status.replicas", ".spec.selector", SelectorStyle.MAP);
}
