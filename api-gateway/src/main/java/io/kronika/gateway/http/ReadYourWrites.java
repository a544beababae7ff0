package io.kronika.gateway.http;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.gateway.api.ApiErrors;
import io.kronika.gateway.api.ApiException;
import io.kronika.projections.ClusterView;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/** Makes reads see the writes acknowledged before them: wait (bounded) until the view has applied them. */
public final class ReadYourWrites {
    private final LongSupplier latestWrite;
    private final ClusterView view;
    private final Duration timeout;

    public ReadYourWrites(CommandClient commands, ClusterView view, Duration timeout) {
        this(commands::latestRevision, view, timeout);
    }

    /** {@code latestWrite}: the revision reads must see (for the live API, the latest this gateway's client has seen). */
    public ReadYourWrites(LongSupplier latestWrite, ClusterView view, Duration timeout) {
        this.latestWrite = latestWrite;
        this.view = view;
        this.timeout = timeout;
    }

    /** Waits for every write acknowledged so far; returns the view's applied revision. */
    public long awaitLatestWrite() {
        return await(latestWrite.getAsLong());
    }

    /** Waits until the view has applied {@code revision}; 504 Timeout when it does not in time. */
    public long await(long revision) {
        if (view.appliedRevision() >= revision) {
            return view.appliedRevision();
        }
        try {
            view.awaitRevision(revision, timeout);
        } catch (TimeoutException e) {
            throw ApiErrors.timeout("Timeout: the projections have not applied revision " + revision + " within "
                    + timeout.toMillis() + " ms (applied: " + view.appliedRevision() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "ServiceUnavailable", "the gateway is shutting down");
        }
        return view.appliedRevision();
    }

    /** Projection lag in revisions: what the log has accepted minus what the view has applied. */
    public long lag() {
        return Math.max(0, latestWrite.getAsLong() - view.appliedRevision());
    }
}
