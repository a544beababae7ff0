package io.kronika.scheduler.queue;

import io.kronika.scheduler.model.PodInfo;
import org.junit.jupiter.api.Test;

import static io.kronika.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulingQueueTest {
    private static PodInfo p(String name, int priority, String created) {
        PodInfo pod = pod("ns", name).priority(priority).created(created).build();
        pod.setPriority(priority);
        return pod;
    }

    @Test
    void popsByPriorityThenAge() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        q.addOrUpdate(p("young-low", 0, "2024-01-01T00:00:05Z"), 0);
        q.addOrUpdate(p("old-low", 0, "2024-01-01T00:00:01Z"), 0);
        q.addOrUpdate(p("young-high", 100, "2024-01-01T00:00:09Z"), 0);
        q.addOrUpdate(p("same-second-a", 0, "2024-01-01T00:00:03Z"), 0);
        q.addOrUpdate(p("same-second-b", 0, "2024-01-01T00:00:03Z"), 0);
        assertThat(q.pop().pod().name()).isEqualTo("young-high");
        assertThat(q.pop().pod().name()).isEqualTo("old-low");
        assertThat(q.pop().pod().name()).isEqualTo("same-second-a");
        assertThat(q.pop().pod().name()).isEqualTo("same-second-b");
        assertThat(q.pop().pod().name()).isEqualTo("young-low");
        assertThat(q.pop()).isNull();
    }

    @Test
    void unschedulablePodsWaitForAClusterChangeThenTheirBackoff() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        q.addOrUpdate(p("p", 0, "2024-01-01T00:00:00Z"), 0);
        SchedulingQueue.Entry e = q.pop();
        q.requeueUnschedulable(e, 10_000);
        assertThat(q.where("core/Pod/ns/p")).isEqualTo(SchedulingQueue.Where.UNSCHEDULABLE);
        q.flush(60_000);
        assertThat(q.pop()).isNull(); // no change, no retry (until the 5 minute flush)
        q.moveAllToActiveOrBackoff(10_500);
        assertThat(q.where("core/Pod/ns/p")).isEqualTo(SchedulingQueue.Where.BACKOFF); // 1 s back-off not over
        q.flush(10_999);
        assertThat(q.pop()).isNull();
        q.flush(11_000);
        SchedulingQueue.Entry again = q.pop();
        assertThat(again.attempts()).isEqualTo(2);
        q.requeueUnschedulable(again, 20_000);
        q.moveAllToActiveOrBackoff(21_000);
        q.flush(21_999);
        assertThat(q.pop()).isNull(); // second back-off is 2 s
        q.flush(22_000);
        assertThat(q.pop()).isNotNull();
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        assertThat(q.backoffMillis(1)).isEqualTo(1000);
        assertThat(q.backoffMillis(2)).isEqualTo(2000);
        assertThat(q.backoffMillis(4)).isEqualTo(8000);
        assertThat(q.backoffMillis(5)).isEqualTo(10_000);
        assertThat(q.backoffMillis(50)).isEqualTo(10_000);
    }

    @Test
    void aChangeDuringTheAttemptSendsThePodToBackoffNotToTheWaitingPool() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        q.addOrUpdate(p("p", 0, "2024-01-01T00:00:00Z"), 0);
        SchedulingQueue.Entry e = q.pop();
        q.moveAllToActiveOrBackoff(5); // e.g. a node was added while the pod was being scheduled
        q.requeueUnschedulable(e, 10);
        assertThat(q.where("core/Pod/ns/p")).isEqualTo(SchedulingQueue.Where.BACKOFF);
    }

    @Test
    void podsWaitTooLongAreRetriedAnyway() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        q.addOrUpdate(p("p", 0, "2024-01-01T00:00:00Z"), 0);
        q.requeueUnschedulable(q.pop(), 0);
        q.flush(SchedulingQueue.UNSCHEDULABLE_FLUSH_MILLIS);
        assertThat(q.pop()).isNotNull();
    }

    @Test
    void gatedPodsWaitForTheirGates() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        PodInfo gated = PodInfo.parse(pod("ns", "g").json().replace("\"containers\"", "\"schedulingGates\":[{\"name\":\"x\"}],\"containers\""));
        q.addOrUpdate(gated, 0);
        assertThat(q.pop()).isNull();
        assertThat(q.gatedCount()).isEqualTo(1);
        q.addOrUpdate(pod("ns", "g").build(), 0);
        assertThat(q.pop().pod().name()).isEqualTo("g");
    }

    @Test
    void aChangedPodLeavesTheWaitingPool() {
        SchedulingQueue q = new SchedulingQueue(1000, 10_000);
        q.addOrUpdate(pod("ns", "p").cpu("8").build(), 0);
        q.requeueUnschedulable(q.pop(), 0);
        // A status-only change (our own condition) is not a reason to retry…
        q.addOrUpdate(PodInfo.parse(pod("ns", "p").cpu("8").json().replace("\"spec\"", "\"status\":{\"phase\":\"Pending\"},\"spec\"")), 10);
        assertThat(q.where("core/Pod/ns/p")).isEqualTo(SchedulingQueue.Where.UNSCHEDULABLE);
        // …a smaller request is.
        q.addOrUpdate(pod("ns", "p").cpu("1").build(), 5000);
        assertThat(q.where("core/Pod/ns/p")).isEqualTo(SchedulingQueue.Where.ACTIVE);
    }
}
