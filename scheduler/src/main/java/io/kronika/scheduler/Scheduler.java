package io.kronika.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.leader.KafkaLeaderElection;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.projections.FeedEndedException;
import io.kronika.projections.ListPage;
import io.kronika.projections.StoredObject;
import io.kronika.scheduler.cache.SchedulerCache;
import io.kronika.scheduler.config.SchedulerConfiguration;
import io.kronika.scheduler.decision.SchedulingDecision;
import io.kronika.scheduler.framework.FitError;
import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.model.Json;
import io.kronika.scheduler.model.NodeModel;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.preemption.DefaultPreemption;
import io.kronika.scheduler.queue.SchedulingQueue;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.EventType;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler: pending pods whose schedulerName is one of its profiles' are placed on nodes by the profile's
 * filter and score plugins and bound with BIND commands.
 *
 * <p>Its cache is folded from the log: a list of nodes, pods, namespaces and PriorityClasses from the
 * {@link ClusterView} at one revision, then every later event from the {@link EventFeed}. One thread owns the cache and
 * the queue: it applies arriving events, then schedules the most important active pod, assumes it onto the chosen
 * node and sends the BIND without waiting (the answer comes back to the same thread). Instances elect one leader
 * through Kafka group membership; followers keep their cache warm and take over when the leader leaves.
 *
 * <pre>
 * Scheduler s = Scheduler.start(commandClient, clusterView, eventFeed, bootstrapServers, topics,
 *         SchedulerConfiguration.load(profileFile), SchedulerOptions.defaults());
 * ...
 * s.close();
 * </pre>
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int LIST_PAGE = 1000;
    private static final long FAILED_SCHEDULING_EVENT_INTERVAL_MILLIS = 60_000;

    private final ClusterView view;
    private final EventFeed feed;
    private final SchedulerConfiguration configuration;
    private final SchedulerOptions options;
    private final Map<String, Framework> frameworks;
    private final Map<String, DefaultPreemption> preemptions = new HashMap<>();
    private final ClusterWriter writer;
    private final SchedulerCache cache;
    private final SchedulingQueue queue;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    /** Events as the feed hands them over (the sink must never block or lag), parsed on {@link #parserThread}. */
    private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Thread loopThread;
    private final Thread parserThread;
    private final CountDownLatch synced = new CountDownLatch(1);
    private final CountDownLatch loopStopped = new CountDownLatch(1);
    /** Latest pending version of pods whose binding is in flight, to retry them if it fails. */
    private final Map<String, PodInfo> bindingInFlight = new HashMap<>();
    private final Map<String, Long> lastFailedSchedulingEvent = new HashMap<>();
    private final Map<String, String> lastFailedSchedulingMessage = new HashMap<>();
    private final AtomicLong appliedRevision = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong bound = new AtomicLong();
    private final AtomicLong bindConflicts = new AtomicLong();
    private final AtomicLong bindErrors = new AtomicLong();
    private final AtomicLong unschedulable = new AtomicLong();
    private final AtomicLong preemptionCount = new AtomicLong();
    private volatile SchedulerStats lastStats;
    private volatile boolean leader;
    private volatile boolean running = true;
    private volatile EventFeed.Subscription subscription;
    private KafkaLeaderElection election;

    private Scheduler(CommandClient client, ClusterView view, EventFeed feed, SchedulerConfiguration configuration, SchedulerOptions options) {
        this.view = view;
        this.feed = feed;
        this.configuration = configuration;
        this.options = options;
        Random random = options.randomSeed() == null ? new Random() : new Random(options.randomSeed());
        this.frameworks = configuration.frameworks(random);
        for (SchedulerConfiguration.Profile p : configuration.profiles()) {
            preemptions.put(p.schedulerName(), SchedulerConfiguration.preemption(p));
        }
        this.writer = new ClusterWriter(client, options.instanceId());
        this.cache = new SchedulerCache(options.assumedPodTtl().toMillis());
        this.queue = new SchedulingQueue(configuration.podInitialBackoffMillis(), configuration.podMaxBackoffMillis());
        this.loopThread = new Thread(this::loop, "scheduler-" + options.instanceId());
        this.loopThread.setDaemon(true);
        this.parserThread = new Thread(this::parseArrivedEvents, "scheduler-" + options.instanceId() + "-events");
        this.parserThread.setDaemon(true);
        this.lastStats = stats0();
    }

    /**
     * Starts a scheduler: it lists the cluster from {@code view}, follows {@code feed}, and (with leader election on)
     * joins the election on {@code bootstrapServers}; it schedules while it leads.
     */
    public static Scheduler start(CommandClient client, ClusterView view, EventFeed feed, String bootstrapServers,
                                  TopicNames topics, SchedulerConfiguration configuration, SchedulerOptions options) {
        Scheduler scheduler = new Scheduler(client, view, feed, configuration, options);
        scheduler.loopThread.start();
        scheduler.parserThread.start();
        if (options.leaderElection()) {
            scheduler.election = KafkaLeaderElection.start(bootstrapServers, topics, "scheduler", options.instanceId(),
                    scheduler.new ElectionListener(), options.electionSettings());
        } else {
            scheduler.inbox.add(() -> scheduler.leader = true);
        }
        return scheduler;
    }

    /** As {@link #start(CommandClient, ClusterView, EventFeed, String, TopicNames, SchedulerConfiguration, SchedulerOptions)}
     * with a KubeSchedulerConfiguration file ({@code null}: kube-scheduler's defaults) and default options. */
    public static Scheduler start(CommandClient client, ClusterView view, EventFeed feed, String bootstrapServers,
                                  TopicNames topics, Path profile) throws IOException {
        SchedulerConfiguration configuration = profile == null ? SchedulerConfiguration.defaults() : SchedulerConfiguration.load(profile);
        return start(client, view, feed, bootstrapServers, topics, configuration, SchedulerOptions.defaults());
    }

    private final class ElectionListener implements KafkaLeaderElection.Listener {
        @Override
        public void onElected(long epoch) {
            inbox.add(() -> {
                leader = true;
                LOG.info("Scheduler {} leads (epoch {})", options.instanceId(), epoch);
            });
        }

        @Override
        public void onRevoked() {
            CompletableFuture<Void> stoppedLeading = new CompletableFuture<>();
            inbox.add(() -> {
                leader = false;
                stoppedLeading.complete(null);
            });
            try {
                stoppedLeading.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                leader = false;
                LOG.warn("Scheduler {} did not confirm it stopped leading", options.instanceId(), e);
            }
        }
    }

    // ---- public state ----

    public String instanceId() {
        return options.instanceId();
    }

    public boolean isLeader() {
        return leader;
    }

    /** Waits until the initial list is in the cache and the feed is followed. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        return synced.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counters and queue sizes (the queue sizes as of the loop's last pass). */
    public SchedulerStats stats() {
        SchedulerStats s = lastStats;
        return new SchedulerStats(attempts.get(), bound.get(), bindConflicts.get(), bindErrors.get(), unschedulable.get(),
                preemptionCount.get(), s.active(), s.backoff(), s.waiting(), s.gated(), s.nodes(), s.assumed(),
                appliedRevision.get(), leader);
    }

    private SchedulerStats stats0() {
        return new SchedulerStats(0, 0, 0, 0, 0, 0, queue.activeCount(), queue.backoffCount(), queue.unschedulableCount(),
                queue.gatedCount(), cache.nodeCount(), cache.assumedCount(), appliedRevision.get(), leader);
    }

    public SchedulerConfiguration configuration() {
        return configuration;
    }

    // ---- the loop ----

    private void loop() {
        try {
            initialSync();
            long lastStatsMillis = 0;
            while (running) {
                Runnable task;
                while ((task = inbox.poll()) != null) {
                    runTask(task);
                }
                long now = System.currentTimeMillis();
                queue.flush(now);
                for (String expired : now - lastStatsMillis >= 100 ? cache.cleanupExpiredAssumptions(now) : List.<String>of()) {
                    LOG.warn("The binding of {} was accepted but its event did not arrive within {}; forgetting it",
                            expired, options.assumedPodTtl());
                    bindingInFlight.remove(expired);
                    queue.moveAllToActiveOrBackoff(now);
                }
                if (now - lastStatsMillis >= 100) {
                    lastStats = stats0();
                    lastStatsMillis = now;
                }
                if (leader) {
                    SchedulingQueue.Entry entry = queue.pop();
                    if (entry != null) {
                        try {
                            scheduleOne(entry);
                        } catch (RuntimeException e) {
                            LOG.error("Scheduling {} failed", entry.pod(), e);
                            queue.requeueAfterError(entry, null, System.currentTimeMillis());
                        }
                        continue;
                    }
                }
                long wait = Math.max(1, Math.min(200, queue.nextBackoffEndMillis() - System.currentTimeMillis()));
                task = inbox.poll(wait, TimeUnit.MILLISECONDS);
                if (task != null) {
                    runTask(task);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Scheduler {} stopped on an unexpected error", options.instanceId(), e);
        } finally {
            leader = false;
            loopStopped.countDown();
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Scheduler {}: handling an event failed", options.instanceId(), e);
        }
    }

    private void initialSync() throws InterruptedException {
        while (running) {
            try {
                listAndFollow(false);
                return;
            } catch (RuntimeException e) {
                LOG.warn("Scheduler {}: listing the cluster failed ({}); retrying", options.instanceId(), e.toString());
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Lists namespaces, PriorityClasses, nodes and pods at the view's revision, then follows the feed from there.
     * With {@code replace} (a re-list after the feed ended), objects the cache holds but the list lacks are removed.
     */
    private void listAndFollow(boolean replace) {
        long revision = view.appliedRevision();
        Set<String> listedPods = new HashSet<>();
        Set<String> listedNodes = new HashSet<>();
        for (String prefix : new String[]{"core/Namespace/", "scheduling.k8s.io/PriorityClass/", "core/Node/", "core/Pod/"}) {
            String after = null;
            do {
                ListPage page = view.list(prefix, revision, o -> true, LIST_PAGE, after);
                for (StoredObject o : page.items()) {
                    try {
                        Object parsed = parse(o.ref(), o.json());
                        if (parsed instanceof PodInfo p) {
                            listedPods.add(p.key());
                        } else if (parsed instanceof NodeModel n) {
                            listedNodes.add(n.name());
                        }
                        apply(o.ref(), replace ? EventType.MODIFIED : EventType.ADDED, parsed);
                    } catch (RuntimeException e) {
                        LOG.warn("Skipping {} from the list: {}", o.key(), e.getMessage());
                    }
                }
                after = page.continueAfterKey();
            } while (after != null && running);
        }
        if (replace) {
            long now = System.currentTimeMillis();
            for (String key : cache.podKeys()) {
                if (!listedPods.contains(key) && !cache.isAssumed(key)) {
                    cache.removePod(key);
                }
            }
            for (String key : queue.keys()) {
                if (!listedPods.contains(key)) {
                    queue.delete(key);
                }
            }
            for (String name : cache.nodeNames()) {
                if (!listedNodes.contains(name)) {
                    cache.removeNode(name);
                }
            }
            queue.moveAllToActiveOrBackoff(now);
        }
        appliedRevision.set(revision);
        subscribe(revision);
        lastStats = stats0();
        synced.countDown();
        LOG.info("Scheduler {} {} at revision {}: {} nodes, {} placed pods, {} pending", options.instanceId(),
                replace ? "re-listed" : "synced", revision, cache.nodeCount(), cache.podCount(), queue.size());
    }

    private void subscribe(long afterRevision) {
        subscription = feed.subscribe(afterRevision, Scheduler::relevant, this::onEvent, this::onFeedError);
    }

    private static boolean relevant(ObjectEvent e) {
        ObjectRef ref = e.getRef();
        String group = ref.getGroup();
        String kind = ref.getKind();
        if (group.isEmpty()) {
            return "Pod".equals(kind) || "Node".equals(kind) || "Namespace".equals(kind);
        }
        return "scheduling.k8s.io".equals(group) && "PriorityClass".equals(kind);
    }

    /** On the feed's thread: hand over only (a slow sink would end the subscription). */
    private void onEvent(ObjectEvent event) {
        arrived.add(event);
    }

    /** Parses arriving events off the loop's thread and posts them, in order, to the loop. */
    private void parseArrivedEvents() {
        try {
            while (running) {
                Object item = arrived.poll(200, TimeUnit.MILLISECONDS);
                if (item instanceof ObjectEvent event) {
                    parseAndPost(event);
                } else if (item instanceof Runnable control) {
                    inbox.add(control);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void parseAndPost(ObjectEvent event) {
        Object parsed;
        try {
            parsed = parse(event.getRef(), event.getObject());
        } catch (RuntimeException e) {
            LOG.warn("Skipping an unparsable {} event at revision {}: {}", event.getRef().getKind(), event.getRevision(), e.getMessage());
            parsed = null;
        }
        Object object = parsed;
        inbox.add(() -> {
            if (event.getRevision() <= appliedRevision.get()) {
                return; // already in the cache (a re-list overtook it)
            }
            if (object != null) {
                apply(event.getRef(), event.getType(), object);
            }
            appliedRevision.set(event.getRevision());
        });
    }

    private void onFeedError(Throwable error) {
        if (!running) {
            return;
        }
        boolean relist = error instanceof FeedEndedException f
                && (f.reason() == FeedEndedException.Reason.GONE || f.reason() == FeedEndedException.Reason.TOO_SLOW);
        if (error instanceof FeedEndedException f && f.reason() == FeedEndedException.Reason.FEED_CLOSED) {
            LOG.info("Scheduler {}: the event feed was closed", options.instanceId());
            return;
        }
        LOG.warn("Scheduler {}: the event feed ended after revision {} ({}); {}", options.instanceId(), appliedRevision.get(),
                error.toString(), relist ? "listing the cluster again" : "following it again");
        // Through the parser, so it runs after every event handed over before the end.
        arrived.add((Runnable) () -> resume(relist));
    }

    private void resume(boolean relistFirst) {
        boolean relist = relistFirst;
        while (running) {
            try {
                Thread.sleep(relist ? 100 : 1000);
                if (relist) {
                    listAndFollow(true);
                } else {
                    subscribe(appliedRevision.get());
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Scheduler {}: resuming the feed failed ({}); retrying", options.instanceId(), e.toString());
                relist = true;
            }
        }
    }

    private static Object parse(ObjectRef ref, String json) {
        return switch (ref.getKind()) {
            case "Pod" -> PodInfo.parse(json);
            case "Node" -> NodeModel.parse(json);
            default -> Json.parseObject(json);
        };
    }

    private void apply(ObjectRef ref, EventType type, Object parsed) {
        long now = System.currentTimeMillis();
        switch (ref.getKind()) {
            case "Pod" -> applyPod(type, (PodInfo) parsed, now);
            case "Node" -> {
                if (type == EventType.DELETED) {
                    cache.removeNode(ref.getName());
                } else if (cache.upsertNode((NodeModel) parsed)) {
                    queue.moveAllToActiveOrBackoff(now);
                }
            }
            case "Namespace" -> {
                if (type == EventType.DELETED) {
                    cache.removeNamespace(ref.getName());
                } else {
                    cache.upsertNamespace(ref.getName(), Json.stringMap(((ObjectNode) parsed).path("metadata").get("labels")));
                    queue.moveAllToActiveOrBackoff(now);
                }
            }
            case "PriorityClass" -> {
                if (type == EventType.DELETED) {
                    cache.removePriorityClass(ref.getName());
                } else {
                    JsonNode pc = (JsonNode) parsed;
                    cache.upsertPriorityClass(ref.getName(), new SchedulerCache.PriorityClass(pc.path("value").asInt(0),
                            pc.path("globalDefault").asBoolean(false), Json.text(pc, "preemptionPolicy")));
                }
            }
            default -> {
            }
        }
    }

    private void applyPod(EventType type, PodInfo pod, long now) {
        String key = pod.key();
        if (type == EventType.DELETED) {
            PodInfo removed = cache.removePod(key);
            queue.delete(key);
            bindingInFlight.remove(key);
            forgetEvents(key);
            if (removed != null) {
                queue.moveAllToActiveOrBackoff(now);
            }
            return;
        }
        cache.resolvePriority(pod);
        if (pod.isBound()) {
            queue.delete(key);
            bindingInFlight.remove(key);
            forgetEvents(key);
            if (pod.isTerminal()) {
                if (cache.removePod(key) != null) {
                    queue.moveAllToActiveOrBackoff(now);
                }
                return;
            }
            cache.addOrUpdateBoundPod(pod);
            return;
        }
        if (cache.isAssumed(key)) {
            bindingInFlight.put(key, pod); // our binding is in flight; its answer decides
            return;
        }
        if (cache.isPlaced(key)) {
            cache.removePod(key);
            queue.moveAllToActiveOrBackoff(now);
        }
        if (!frameworks.containsKey(pod.schedulerName()) || pod.isTerminating() || pod.isTerminal()) {
            queue.delete(key);
            cache.removeNomination(key);
            return;
        }
        queue.addOrUpdate(pod, now);
        if (!pod.nominatedNodeName().isEmpty()) {
            cache.nominate(pod, pod.nominatedNodeName());
        } else if (cache.nominatedNode(key) != null) {
            cache.nominate(pod, cache.nominatedNode(key));
        }
    }

    private void forgetEvents(String key) {
        lastFailedSchedulingEvent.remove(key);
        lastFailedSchedulingMessage.remove(key);
    }

    // ---- one scheduling attempt ----

    private void scheduleOne(SchedulingQueue.Entry entry) {
        PodInfo pod = entry.pod();
        if (cache.isPlaced(pod.key())) {
            queue.done(entry);
            return;
        }
        Framework framework = frameworks.get(pod.schedulerName());
        attempts.incrementAndGet();
        Framework.Result result = framework.schedule(pod, cache, cache);
        if (result.scheduled()) {
            cache.assume(pod, result.node());
            queue.done(entry);
            bindingInFlight.put(pod.key(), pod);
            String decision = SchedulingDecision.scheduled(framework.schedulerName(), options.instanceId(), pod, entry.attempts(), result);
            String node = result.node();
            writer.bind(pod, node, decision).whenComplete((answer, error) ->
                    inbox.add(() -> onBindAnswer(entry, pod, node, answer, error)));
            return;
        }
        unschedulable.incrementAndGet();
        long now = System.currentTimeMillis();
        FitError fitError = result.fitError();
        DefaultPreemption.Candidate candidate = null;
        if (framework.preemptionEnabled() && fitError.numAllNodes() > 0) {
            DefaultPreemption.Outcome outcome = preemptions.get(pod.schedulerName())
                    .preempt(framework, pod, result.state(), cache, fitError, cache);
            candidate = outcome.candidate();
            fitError.setPostFilterMessage(candidate == null ? outcome.message() : "");
        }
        queue.requeueUnschedulable(entry, now);
        String nominated = null;
        if (candidate != null) {
            nominated = candidate.node();
            preemptionCount.incrementAndGet();
            cache.nominate(pod, nominated);
            String cause = "preempted by " + pod.namespace() + "/" + pod.name() + " (priority " + pod.priority() + ") on node " + nominated;
            for (PodInfo victim : candidate.victims()) {
                writer.evict(victim, pod.schedulerName(), cause).whenComplete((answer, error) -> {
                    if (error != null || answer.getOutcome() == Outcome.REJECTED) {
                        LOG.info("Evicting {} for {} did not succeed: {}", victim, pod, error != null ? error : answer.getMessage());
                    }
                });
                writer.event(victim, pod.schedulerName(), "Normal", "Preempted", "Preempting",
                        "Preempted by pod " + pod.uid() + " on node " + nominated);
            }
        }
        String message = fitError.message();
        String decision = SchedulingDecision.unschedulable(framework.schedulerName(), options.instanceId(), pod, entry.attempts(),
                result, fitError, nominated, candidate == null ? List.of() : candidate.victims());
        reportUnschedulable(pod, message, nominated, decision, now);
    }

    private void reportUnschedulable(PodInfo pod, String message, String nominated, String decision, long now) {
        boolean conditionUnchanged = pod.podScheduledCondition().equals("False/Unschedulable/" + message);
        boolean nominationUnchanged = nominated == null || nominated.equals(pod.nominatedNodeName());
        if (!conditionUnchanged || !nominationUnchanged) {
            writer.markUnschedulable(pod, message, nominated, decision).whenComplete((answer, error) -> {
                if (error != null) {
                    LOG.info("Recording that {} is unschedulable failed: {}", pod, error.toString());
                } else if (answer.getOutcome() == Outcome.REJECTED && answer.getCode() != 409) {
                    LOG.info("Recording that {} is unschedulable was refused: {}", pod, answer.getMessage());
                }
            });
        }
        Long last = lastFailedSchedulingEvent.get(pod.key());
        if (last == null || !message.equals(lastFailedSchedulingMessage.get(pod.key())) || now - last >= FAILED_SCHEDULING_EVENT_INTERVAL_MILLIS) {
            lastFailedSchedulingEvent.put(pod.key(), now);
            lastFailedSchedulingMessage.put(pod.key(), message);
            writer.event(pod, "Warning", "FailedScheduling", "Scheduling", message);
        }
    }

    private void onBindAnswer(SchedulingQueue.Entry entry, PodInfo pod, String node, CommandResult answer, Throwable error) {
        long now = System.currentTimeMillis();
        String key = pod.key();
        if (error == null && answer.getOutcome() == Outcome.ACCEPTED) {
            bound.incrementAndGet();
            cache.finishBinding(key, now);
            if (options.recordScheduledEvents()) {
                writer.event(pod, "Normal", "Scheduled", "Binding",
                        "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + node);
            }
            return;
        }
        PodInfo latest = bindingInFlight.remove(key);
        cache.forget(key);
        if (error == null && answer.getCode() == 409 && answer.getMessage().contains("already assigned")) {
            bindConflicts.incrementAndGet(); // another scheduler bound it first; its event places it
            LOG.debug("{} was bound by another scheduler: {}", pod, answer.getMessage());
            return;
        }
        if (error == null && (answer.getCode() == 404 || answer.getCode() == 409)) {
            return; // deleted, or replaced by a new pod of the same name: its own events decide
        }
        bindErrors.incrementAndGet();
        LOG.warn("Binding {} to {} failed: {}", pod, node, error != null ? error.toString() : answer.getCode() + " " + answer.getMessage());
        if (latest != null && !cache.isPlaced(key)) {
            queue.requeueAfterError(entry, latest, now);
        }
    }

    // ---- shutdown ----

    /** Leaves the election (handing over at once), stops following the feed and stops the loop. */
    @Override
    public void close() {
        if (election != null) {
            election.close();
        }
        running = false;
        EventFeed.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        inbox.add(() -> {
        });
        try {
            if (!loopStopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("Scheduler {} did not stop within 30 s", options.instanceId());
                loopThread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
