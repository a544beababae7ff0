package io.kronika.launcher.bench;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.gateway.ApiGateway;
import io.kronika.gateway.GatewaySettings;
import io.kronika.projections.feed.KafkaEventFeed;
import io.kronika.projections.view.KafkaStreamsClusterView;
import io.kronika.schemas.registry.SchemaRegistry;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * An API gateway (plain HTTP on loopback, no authentication) over the history bench's view and a feed of its log, and
 * timed {@code GET /history/revision/R/api/v1/pods}: the time-travel {@code kubectl get pods -A} as the client sees it.
 */
final class TimeTravelGateway implements AutoCloseable {
    private final CommandClient commands;
    private final KafkaEventFeed feed;
    private final ApiGateway gateway;
    private final ListLatencyProbe probe;

    private TimeTravelGateway(CommandClient commands, KafkaEventFeed feed, ApiGateway gateway, ListLatencyProbe probe) {
        this.commands = commands;
        this.feed = feed;
        this.gateway = gateway;
        this.probe = probe;
    }

    /** {@code view} must stay open until this is closed. */
    static TimeTravelGateway start(String bootstrap, TopicNames topics, SchemaRegistry registry, KafkaStreamsClusterView view,
                                   Progress progress) throws Exception {
        CommandClient commands = new CommandClient(bootstrap, topics, registry, "bench-history-gateway");
        KafkaEventFeed feed = null;
        try {
            feed = KafkaEventFeed.start(bootstrap, topics, registry, view::offsetOfRevision, KafkaEventFeed.Settings.defaults("bench-history"));
            feed.awaitRunning(Duration.ofMinutes(5));
            ApiGateway gateway = ApiGateway.start(GatewaySettings.defaults(), commands, view, feed);
            progress.line("time-travel API at " + gateway.url() + "/history/revision/R/");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            return new TimeTravelGateway(commands, feed, gateway, new ListLatencyProbe(http, gateway.url(), progress));
        } catch (Exception | Error e) {
            if (feed != null) {
                feed.close();
            }
            commands.close();
            throw e;
        }
    }

    /** One {@code get pods -A -o json} at {@code revision}; checks it lists {@code expectedPods}. Nanoseconds. */
    long podsAsJson(long revision, int expectedPods) throws Exception {
        return probe.timeOnce(path(revision), ListLatencyProbe.JSON, "items", expectedPods);
    }

    /** One plain {@code get pods -A} at {@code revision} (a server-side Table); checks it has {@code expectedPods} rows. Nanoseconds. */
    long podsAsTable(long revision, int expectedPods) throws Exception {
        return probe.timeOnce(path(revision), ListLatencyProbe.TABLE, "rows", expectedPods);
    }

    private static String path(long revision) {
        return "/history/revision/" + revision + "/api/v1/pods";
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            try {
                feed.close();
            } finally {
                commands.close();
            }
        }
    }
}
