package io.kronika.projections.fold;

/**
 * The stores of one topology that lists as of a past revision read directly (see {@link DirectRocksStore}): the
 * history and the key lifetimes. Create one per topology and give it to the view that queries that topology.
 */
public record DirectStores(DirectStoreSupplier history, DirectStoreSupplier lifetimes) {
    public static DirectStores create() {
        return new DirectStores(new DirectStoreSupplier(ProjectionStores.HISTORY), new DirectStoreSupplier(ProjectionStores.LIFETIMES));
    }

    /** A reader of versions in the history store; close it. */
    public HistoryReader historyReader() {
        return new HistoryReader(history.iterator());
    }

    /** A walk over the keys ever seen, in key order, with when each existed; close it. */
    public LifetimesWalk lifetimesWalk() {
        return new LifetimesWalk(lifetimes.iterator());
    }
}
