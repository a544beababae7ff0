package io.kronika.projections.secrets;

import io.kronika.projections.ClusterView;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.secrets.SecretCodec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A view whose Secrets come out decrypted, for the readers that need their values (the API, kubelets, controllers).
 * The stores underneath keep ciphertext; list filters see the stored form (metadata and type are not encrypted).
 */
public final class DecryptingClusterView implements ClusterView {
    private final ClusterView stored;
    private final SecretCodec secrets;

    public DecryptingClusterView(ClusterView stored, SecretCodec secrets) {
        this.stored = stored;
        this.secrets = secrets;
    }

    /** {@code view} itself when {@code secrets} does not encrypt. */
    public static ClusterView wrap(ClusterView view, SecretCodec secrets) {
        return secrets.encrypts() ? new DecryptingClusterView(view, secrets) : view;
    }

    StoredObject decrypted(StoredObject object) {
        if (!SecretCodec.isSecret(object.ref())) {
            return object;
        }
        String plain = SecretReads.decrypt(secrets, object.json(), object.key());
        return plain.equals(object.json()) ? object
                : new StoredObject(object.key(), object.ref(), object.revision(), object.uid(), plain);
    }

    @Override
    public long appliedRevision() {
        return stored.appliedRevision();
    }

    @Override
    public void awaitRevision(long revision, Duration timeout) throws TimeoutException, InterruptedException {
        stored.awaitRevision(revision, timeout);
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return stored.get(key).map(this::decrypted);
    }

    @Override
    public Optional<StoredObject> getAt(String key, long revision) {
        return stored.getAt(key, revision).map(this::decrypted);
    }

    @Override
    public ListPage list(String keyPrefix, long atRevision, Predicate<StoredObject> filter, int limit, String continueAfterKey) {
        ListPage page = stored.list(keyPrefix, atRevision, filter, limit, continueAfterKey);
        return new ListPage(page.revision(), page.items().stream().map(this::decrypted).toList(), page.continueAfterKey());
    }

    @Override
    public List<StoredObject> podsOnNode(String nodeName) {
        return stored.podsOnNode(nodeName);
    }

    @Override
    public OptionalLong offsetOfRevision(long revision) {
        return stored.offsetOfRevision(revision);
    }
}
