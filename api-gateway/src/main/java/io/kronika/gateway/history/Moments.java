package io.kronika.gateway.history;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.ReadYourWrites;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns the moment of a history URL into a revision the view can serve: {@code /history/revision/R} names it,
 * {@code /history/time/T} (RFC 3339) means the last event at or before T. A revision before the log's start is
 * 410 Gone; one the log has not reached is 404; one the log has but the view has not applied yet is waited for.
 */
final class Moments {
    private static final int CACHED_TIMES = 1024;

    private final ClusterView view;
    private final EventFeed feed;
    private final LongSupplier latestWrite;
    private final ReadYourWrites reads;
    private final Clock clock;
    /** Times whose revision can no longer change: an event after them is in the log. */
    private final Map<Instant, Long> settledTimes = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Instant, Long> eldest) {
            return size() > CACHED_TIMES;
        }
    });

    /**
     * @param view        the live view
     * @param latestWrite the latest revision known to be in the log (the gateway's command client has seen it)
     * @param reads       waits for the live view to apply a revision
     */
    Moments(ClusterView view, EventFeed feed, LongSupplier latestWrite, ReadYourWrites reads, Clock clock) {
        this.view = view;
        this.feed = feed;
        this.latestWrite = latestWrite;
        this.reads = reads;
        this.clock = clock;
    }

    /** The revision {@code text} names, checked against the log; blocks while the view catches up with it. */
    long revision(String text) {
        long revision;
        try {
            revision = Long.parseLong(text);
        } catch (NumberFormatException e) {
            revision = -1;
        }
        if (revision < 0) {
            throw ApiException.badRequest("\"" + text + "\" is not a revision: history URLs look like /history/revision/1234/api/v1/pods");
        }
        return servable(revision);
    }

    /** The revision of the last event at or before the RFC 3339 time {@code text}. */
    long time(String text) {
        Instant time;
        try {
            time = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("\"" + text + "\" is not an RFC 3339 time: history URLs look like "
                    + "/history/time/2026-01-02T03:04:05Z/api/v1/pods");
        }
        Instant now = clock.instant();
        if (time.isAfter(now)) {
            throw ApiException.badRequest("time " + text + " is in the future (the gateway's clock says " + now + ")");
        }
        Long settled = settledTimes.get(time);
        if (settled != null) {
            return servable(settled);
        }
        long revision = feed.revisionAt(time);
        long oldest = feed.oldestRevision();
        if (revision == 0 && oldest > 1) {
            throw new ApiException(410, "Gone", "time " + text + " is before the first event still in the log (revision " + oldest + ")");
        }
        if (revision < view.appliedRevision()) {
            settledTimes.put(time, revision);
        }
        return servable(revision);
    }

    private long servable(long revision) {
        long oldest = feed.oldestRevision();
        if (revision < oldest - 1) {
            throw new ApiException(410, "Gone", "revision " + revision + " is older than the log: the oldest revision still in it is " + oldest);
        }
        long applied = view.appliedRevision();
        if (revision > applied) {
            long latest = Math.max(applied, latestWrite.getAsLong());
            if (revision > latest) {
                throw new ApiException(404, "NotFound", "revision " + revision + " is not in the log yet: the latest revision is " + latest);
            }
            reads.await(revision);
        }
        return revision;
    }
}
