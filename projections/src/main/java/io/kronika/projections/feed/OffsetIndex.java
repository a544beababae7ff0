package io.kronika.projections.feed;

import java.util.OptionalLong;

/** Where a revision's event is in the events topic, if known; {@code ClusterView::offsetOfRevision} is one. */
@FunctionalInterface
public interface OffsetIndex {
    OffsetIndex NONE = revision -> OptionalLong.empty();

    OptionalLong offsetOfRevision(long revision);
}
