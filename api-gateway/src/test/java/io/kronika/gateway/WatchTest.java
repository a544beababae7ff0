package io.kronika.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.kronika.gateway.testing.Poll;
import io.kronika.gateway.testing.SharedClusterExtension;
import io.kronika.gateway.testing.TestCluster;
import io.kronika.gateway.testing.WatchStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.kronika.gateway.api.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.kronika.gateway.testing.WatchStream.name;
import static io.kronika.gateway.testing.WatchStream.type;
import static org.assertj.core.api.Assertions.assertThat;

/** Watches over chunked HTTP and WebSocket: starting points, selectors, bookmarks, timeouts. */
@ExtendWith(SharedClusterExtension.class)
class WatchTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestCluster cluster;
    private static KubernetesClient client;
    private static String base;

    @BeforeAll
    static void start() {
        cluster = TestCluster.shared();
        client = cluster.client();
        base = cluster.gateway.url();
    }

    private static ConfigMap create(String ns, String name, String labelValue) {
        ConfigMapBuilder builder = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata();
        if (labelValue != null) {
            builder.editMetadata().addToLabels("watch", labelValue).endMetadata();
        }
        return client.resource(builder.build()).create();
    }

    @Test
    void withoutResourceVersionTheCurrentStateComesFirstThenChanges() {
        String ns = cluster.newNamespace("watch-state");
        create(ns, "a", null);
        create(ns, "b", null);
        try (WatchStream watch = new WatchStream(base + "/api/v1/namespaces/" + ns + "/configmaps?watch=true")) {
            assertThat(watch.code()).isEqualTo(200);
            JsonNode first = watch.next(WAIT);
            JsonNode second = watch.next(WAIT);
            assertThat(List.of(type(first), type(second))).containsOnly("ADDED");
            assertThat(List.of(name(first), name(second))).containsExactly("a", "b");
            assertThat(first.path("object").path("kind").asText()).isEqualTo("ConfigMap");
            assertThat(first.path("object").path("apiVersion").asText()).isEqualTo("v1");

            client.configMaps().inNamespace(ns).withName("a").edit(c -> new ConfigMapBuilder(c).addToData("x", "y").build());
            client.configMaps().inNamespace(ns).withName("b").delete();
            JsonNode modified = watch.next(WAIT);
            JsonNode deleted = watch.next(WAIT);
            assertThat(type(modified) + " " + name(modified)).isEqualTo("MODIFIED a");
            assertThat(type(deleted) + " " + name(deleted)).isEqualTo("DELETED b");
            assertThat(Long.parseLong(deleted.path("object").path("metadata").path("resourceVersion").asText()))
                    .isGreaterThan(Long.parseLong(modified.path("object").path("metadata").path("resourceVersion").asText()));
        }
    }

    @Test
    void fromAResourceVersionEveryLaterEventInOrderFromTheLegacyPath() {
        String ns = cluster.newNamespace("watch-rv");
        ConfigMap first = create(ns, "first", null);
        create(ns, "second", null);
        client.configMaps().inNamespace(ns).withName("first").delete();
        String from = first.getMetadata().getResourceVersion();
        try (WatchStream watch = new WatchStream(base + "/api/v1/watch/namespaces/" + ns + "/configmaps?resourceVersion=" + from)) {
            JsonNode added = watch.next(WAIT);
            JsonNode deleted = watch.next(WAIT);
            assertThat(type(added) + " " + name(added)).isEqualTo("ADDED second");
            assertThat(type(deleted) + " " + name(deleted)).isEqualTo("DELETED first");
        }
        try (WatchStream one = new WatchStream(base + "/api/v1/watch/namespaces/" + ns + "/configmaps/second?resourceVersion=" + from)) {
            create(ns, "third", null);
            client.configMaps().inNamespace(ns).withName("second").edit(c -> new ConfigMapBuilder(c).addToData("k", "v").build());
            List<JsonNode> events = one.until(e -> type(e).equals("MODIFIED"), WAIT);
            assertThat(events).extracting(WatchStream::name).containsOnly("second");
        }
    }

    @Test
    void objectsMovingInAndOutOfALabelSelectionAreAddedAndDeleted() {
        String ns = cluster.newNamespace("watch-labels");
        create(ns, "mover", "no");
        String from = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
        try (WatchStream watch = new WatchStream(base + "/api/v1/namespaces/" + ns + "/configmaps?watch=1&labelSelector=watch%3Dyes&resourceVersion=" + from)) {
            client.configMaps().inNamespace(ns).withName("mover").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("watch", "yes").endMetadata().build());
            client.configMaps().inNamespace(ns).withName("mover").edit(c -> new ConfigMapBuilder(c).addToData("k", "v").build());
            client.configMaps().inNamespace(ns).withName("mover").edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("watch", "no").endMetadata().build());
            client.configMaps().inNamespace(ns).withName("mover").edit(c -> new ConfigMapBuilder(c).addToData("k", "w").build());
            create(ns, "stays-out", "no");
            create(ns, "in", "yes");
            List<JsonNode> events = watch.until(e -> name(e).equals("in"), WAIT);
            assertThat(events).extracting(e -> type(e) + " " + name(e))
                    .containsExactly("ADDED mover", "MODIFIED mover", "DELETED mover", "ADDED in");
        }
    }

    @Test
    void bookmarksAndTimeout() {
        String ns = cluster.newNamespace("watch-bookmarks");
        ConfigMap cm = create(ns, "x", null);
        String rv = cm.getMetadata().getResourceVersion();
        try (WatchStream watch = new WatchStream(base + "/api/v1/namespaces/" + ns
                + "/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=" + rv)) {
            JsonNode bookmark = watch.next(WAIT);
            assertThat(type(bookmark)).isEqualTo("BOOKMARK");
            assertThat(bookmark.path("object").path("kind").asText()).isEqualTo("ConfigMap");
            assertThat(bookmark.path("object").path("metadata").path("resourceVersion").asText()).isEqualTo(rv);
            assertThat(watch.endsWithin(WAIT)).isTrue();
        }
    }

    @Test
    void sendInitialEventsEndsTheInitialStateWithAnAnnotatedBookmark() {
        String ns = cluster.newNamespace("watch-list");
        create(ns, "one", null);
        try (WatchStream watch = new WatchStream(base + "/api/v1/namespaces/" + ns
                + "/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=")) {
            List<JsonNode> events = watch.until(e -> type(e).equals("BOOKMARK"), WAIT);
            assertThat(events).extracting(WatchStream::type).containsExactly("ADDED", "BOOKMARK");
            assertThat(events.get(1).path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
                    .isEqualTo("true");
        }
    }

    @Test
    void theFabric8WatchOverWebSocketSeesEveryChange() throws Exception {
        String ns = cluster.newNamespace("watch-ws");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Watch watch = client.configMaps().inNamespace(ns).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                seen.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            create(ns, "w", null);
            client.configMaps().inNamespace(ns).withName("w").edit(c -> new ConfigMapBuilder(c).addToData("k", "v").build());
            client.configMaps().inNamespace(ns).withName("w").delete();
            Poll.until("three events", WAIT, () -> seen.size() >= 3);
            assertThat(seen).containsExactly("ADDED w", "MODIFIED w", "DELETED w");
        }
        Poll.until("the watch to be closed on the server", WAIT, () -> cluster.gateway.openWatches() == 0);
    }

    @Test
    void aWebSocketWatchGetsOneTextMessagePerEvent() throws Exception {
        String ns = cluster.newNamespace("watch-raw-ws");
        List<String> messages = new CopyOnWriteArrayList<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(base.replace("http://", "ws://") + "/api/v1/namespaces/" + ns + "/configmaps?watch=true"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                messages.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
        try {
            Poll.until("the watch to be open", WAIT, () -> cluster.gateway.openWatches() > 0);
            create(ns, "over-ws", null);
            Poll.until("one message", WAIT, () -> !messages.isEmpty());
            JsonNode event = Json.MAPPER.readTree(messages.get(0));
            assertThat(type(event) + " " + name(event)).isEqualTo("ADDED over-ws");
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void badWatchOptionsAreRefusedBeforeTheStream() {
        try (WatchStream watch = new WatchStream(base + "/api/v1/configmaps?watch=true&labelSelector=a%20in%20(")) {
            assertThat(watch.code()).isEqualTo(400);
        }
        try (WatchStream watch = new WatchStream(base + "/api/v1/configmaps?watch=true&resourceVersionMatch=Exact&resourceVersion=5")) {
            assertThat(watch.code()).isEqualTo(422);
        }
    }
}
