package io.kronika.eventstore.admission;

import io.kronika.eventstore.client.Commands;
import io.kronika.schemas.Command;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Operation;
import io.kronika.schemas.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** IMPORT: another log's events appended unchanged, only as the next revision and only where they fit. */
class ImportAdmissionTest {
    private static final long T0 = 1_790_000_000_000L;
    private static final ObjectRef NS = ObjectKeys.ref("", "Namespace", "", "ns");
    private static final ObjectRef CM = ObjectKeys.ref("", "ConfigMap", "ns", "c");

    /** A store and a revision counter, as the processor keeps them. */
    private static final class Log {
        final Map<String, ObjectEvent> store = new HashMap<>();
        final List<ObjectEvent> events = new ArrayList<>();
        long revision;

        Decision apply(Command command) {
            Decision d = AdmissionDecider.decide(command, store::get, revision + 1, T0 + revision * 1000 + 7);
            if (d.appends()) {
                revision++;
                events.add(d.event());
                if (d.removesObject()) {
                    store.remove(d.key());
                } else {
                    store.put(d.key(), d.event());
                }
            }
            return d;
        }
    }

    private static Command importOf(ObjectEvent e) {
        return Commands.builder(Operation.IMPORT, e.getRef(), Commands.actor("importer", "test")).setImportedEvent(e).build();
    }

    private static Log source() {
        Log log = new Log();
        var actor = Commands.actor("u", "test");
        log.apply(Commands.create(NS, "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}", actor));
        long r = log.apply(Commands.create(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"1\"}}", actor)).result().getRevision();
        log.apply(Commands.update(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"2\"}}", r, actor));
        log.apply(Commands.delete(CM, null, null, actor));
        return log;
    }

    @Test
    void anImportedLogIsTheSameLogAndItsStateIsSeeded() {
        Log source = source();
        Log target = new Log();
        for (ObjectEvent e : source.events) {
            Decision d = target.apply(importOf(e));
            assertThat(d.result().getOutcome()).as(d.result().getMessage()).isEqualTo(Outcome.ACCEPTED);
            assertThat(d.result().getRevision()).isEqualTo(e.getRevision());
        }
        assertThat(target.events).isEqualTo(source.events);
        assertThat(target.store).isEqualTo(source.store);
        // The next ordinary write continues the imported history.
        Decision create = target.apply(Commands.create(CM, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}", Commands.actor("u", "test")));
        assertThat(create.result().getRevision()).isEqualTo(source.revision + 1);
    }

    @Test
    void anEventThatIsNotTheNextRevisionIsRefused() {
        Log source = source();
        Log target = new Log();
        Decision skipped = target.apply(importOf(source.events.get(1)));
        assertThat(skipped.result().getCode()).isEqualTo(409);
        assertThat(skipped.result().getMessage()).contains("revision 2").contains("next revision is 1");
        assertThat(target.events).isEmpty();

        target.apply(Commands.create(NS, "{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}", Commands.actor("u", "test")));
        Decision intoAWrittenLog = target.apply(importOf(source.events.get(0)));
        assertThat(intoAWrittenLog.result().getCode()).isEqualTo(409);
        assertThat(target.events).hasSize(1);
    }

    @Test
    void anEventThatDoesNotContinueItsObjectIsRefused() {
        Log source = source();
        Log target = new Log();
        target.apply(importOf(source.events.get(0)));
        // revision 2 is the ADDED of c; pretend its MODIFIED (revision 3) comes next, with another uid
        target.apply(importOf(source.events.get(1)));
        ObjectEvent foreign = ObjectEvent.newBuilder(source.events.get(2)).setUid("another-uid").build();
        Decision d = target.apply(importOf(foreign));
        assertThat(d.result().getCode()).isEqualTo(409);
        assertThat(d.result().getMessage()).contains("uid");

        ObjectEvent addedAgain = ObjectEvent.newBuilder(source.events.get(1)).setRevision(3).build();
        assertThat(target.apply(importOf(addedAgain)).result().getMessage()).contains("exists since revision 2");

        Command empty = Commands.builder(Operation.IMPORT, CM, Commands.actor("importer", "test")).build();
        assertThat(target.apply(empty).result().getCode()).isEqualTo(400);
    }
}
