package io.kronika.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.Json;
import io.kronika.projections.ClusterView;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectKeys;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The live view seen as of one past revision: "current" means "at {@code revision}", and the view has "applied"
 * exactly that revision. Every handler of the gateway reads through it unchanged, so the past is served by the same
 * code as the present (CRDs of that moment included, since the catalog reads them through the view too).
 */
final class ViewAtRevision implements ClusterView {
    private final ClusterView live;
    private final long revision;

    /** {@code revision} must already be applied by {@code live}. */
    ViewAtRevision(ClusterView live, long revision) {
        this.live = live;
        this.revision = revision;
    }

    long revision() {
        return revision;
    }

    @Override
    public long appliedRevision() {
        return revision;
    }

    /** Nothing after {@code revision} ever becomes visible here: asking for it is a client error, not a wait. */
    @Override
    public void awaitRevision(long wanted, Duration timeout) {
        if (wanted > revision) {
            throw ApiException.badRequest("resourceVersion " + wanted + " is after revision " + revision
                    + ", the moment this history URL serves; use /history/revision/" + wanted + " to read it");
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return live.getAt(key, revision);
    }

    @Override
    public Optional<StoredObject> getAt(String key, long at) {
        return live.getAt(key, Math.min(at, revision));
    }

    @Override
    public ListPage list(String keyPrefix, long atRevision, Predicate<StoredObject> filter, int limit, String continueAfterKey) {
        return live.list(keyPrefix, Math.min(atRevision, revision), filter, limit, continueAfterKey);
    }

    /** The pods bound to the node at {@code revision} (the live index knows only the present, so this lists pods). */
    @Override
    public List<StoredObject> podsOnNode(String nodeName) {
        return live.list(ObjectKeys.kindPrefix("", "Pod"), revision, pod -> nodeName.equals(nodeOf(pod)), 0, null).items();
    }

    private static String nodeOf(StoredObject pod) {
        JsonNode spec = Json.object(pod.json()).path("spec");
        return spec.path("nodeName").asText("");
    }

    @Override
    public OptionalLong offsetOfRevision(long at) {
        return live.offsetOfRevision(at);
    }
}
