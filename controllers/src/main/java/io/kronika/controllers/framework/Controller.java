package io.kronika.controllers.framework;

import java.util.Collection;
import java.util.function.Consumer;

/**
 * One controller: which keys a change of the cluster makes it look at, and the reconcile of one key. Reconciles read
 * the cache and the clock of the {@link ControllerContext} and return actions; they never write themselves.
 */
public interface Controller {
    String name();

    /** Enqueues the keys of this controller's objects that {@code change} may concern. */
    void onChange(ClusterCache.Change change, Consumer<String> enqueue);

    /** Every key this controller reconciles; enqueued at start, when elected and at each resync. */
    Collection<String> keys(ClusterCache cache);

    Reconciled reconcile(String key, ControllerContext context);

    default int workers() {
        return 1;
    }
}
