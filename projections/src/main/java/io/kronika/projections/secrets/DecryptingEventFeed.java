package io.kronika.projections.secrets;

import io.kronika.projections.EventFeed;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.secrets.SecretCodec;

import java.util.function.Consumer;
import java.util.function.Predicate;

/** A feed whose Secret events come out decrypted; filters see the stored (encrypted) form. */
public final class DecryptingEventFeed implements EventFeed {
    private final EventFeed stored;
    private final SecretCodec secrets;

    public DecryptingEventFeed(EventFeed stored, SecretCodec secrets) {
        this.stored = stored;
        this.secrets = secrets;
    }

    /** {@code feed} itself when {@code secrets} does not encrypt. */
    public static EventFeed wrap(EventFeed feed, SecretCodec secrets) {
        return secrets.encrypts() ? new DecryptingEventFeed(feed, secrets) : feed;
    }

    @Override
    public Subscription subscribe(long afterRevision, Predicate<ObjectEvent> filter, Consumer<ObjectEvent> sink, Consumer<Throwable> onError) {
        return stored.subscribe(afterRevision, filter, event -> sink.accept(decrypted(event)), onError);
    }

    private ObjectEvent decrypted(ObjectEvent event) {
        if (!SecretCodec.isSecret(event.getRef())) {
            return event;
        }
        String plain = SecretReads.decrypt(secrets, event.getObject(), io.kronika.schemas.ObjectKeys.of(event.getRef()));
        return plain.equals(event.getObject()) ? event : ObjectEvent.newBuilder(event).setObject(plain).build();
    }

    @Override
    public long oldestRevision() {
        return stored.oldestRevision();
    }

    @Override
    public long revisionAt(java.time.Instant time) {
        return stored.revisionAt(time);
    }
}
