package io.kronika.controllers.framework;

import java.time.Clock;

/** What a reconcile may read: the cache, the clock and its controller's expectations. */
public record ControllerContext(ClusterCache cache, Clock clock, Expectations expectations) {
}
