package io.kronika.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.apps.DaemonSetController;
import io.kronika.controllers.apps.DeploymentController;
import io.kronika.controllers.apps.StatefulSetController;
import io.kronika.controllers.batch.CronJobController;
import io.kronika.controllers.batch.JobController;
import io.kronika.controllers.core.EndpointSliceController;
import io.kronika.controllers.core.EndpointsController;
import io.kronika.controllers.core.PersistentVolumeController;
import io.kronika.controllers.core.ResourceQuotaController;
import io.kronika.controllers.core.ServiceAccountController;
import io.kronika.controllers.core.ServiceAccountTokenController;
import io.kronika.controllers.apps.ReplicaSetController;
import io.kronika.controllers.core.GarbageCollector;
import io.kronika.controllers.core.NamespaceController;
import io.kronika.controllers.core.NodeLifecycleController;
import io.kronika.controllers.core.PodGarbageCollector;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Expectations;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.WorkQueue;
import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.eventstore.leader.KafkaLeaderElection;
import io.kronika.eventstore.topics.TopicNames;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.kronika.schemas.Actor;
import io.kronika.schemas.Command;
import io.kronika.schemas.CommandResult;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;
import io.kronika.schemas.Outcome;
import io.kronika.schemas.auth.ServiceAccountAdmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every controller in one process: one cache fed from the event feed, one rate-limited work queue and worker
 * threads per controller, leader election through Kafka (the "controller-manager" group), and the commands the
 * reconciles ask for, sent with the controller's service account as actor. After its commands are answered a worker
 * waits until the cache has seen them, so the next reconcile of any key reads its own writes.
 */
public final class ControllerManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
    public static final String REPLICASET = "replicaset";
    public static final String REPLICATIONCONTROLLER = "replicationcontroller";
    public static final String DEPLOYMENT = "deployment";
    public static final String GARBAGE_COLLECTOR = "garbagecollector";
    public static final String NAMESPACE = "namespace";
    public static final String NODE_LIFECYCLE = "nodelifecycle";
    public static final String ENDPOINT = "endpoint";
    public static final String ENDPOINTSLICE = "endpointslice";
    public static final String JOB = "job";
    public static final String STATEFULSET = "statefulset";
    public static final String DAEMONSET = "daemonset";
    public static final String SERVICEACCOUNT = "serviceaccount";
    public static final String CRONJOB = "cronjob";
    public static final String RESOURCEQUOTA = "resourcequota";
    public static final String PERSISTENTVOLUME_BINDER = "persistentvolume-binder";
    public static final String SERVICEACCOUNT_TOKEN = "serviceaccount-token";
    public static final String CLUSTERROLE_AGGREGATION = "clusterrole-aggregation";
    public static final String PODGC = "podgc";
    public static final String ROOT_CA_CERT_PUBLISHER = "root-ca-cert-publisher";
    public static final Set<String> ALL = Set.of(REPLICASET, REPLICATIONCONTROLLER, DEPLOYMENT, GARBAGE_COLLECTOR, NAMESPACE, NODE_LIFECYCLE,
            ENDPOINT, ENDPOINTSLICE, JOB, STATEFULSET, DAEMONSET, SERVICEACCOUNT, CRONJOB, RESOURCEQUOTA, PERSISTENTVOLUME_BINDER,
            SERVICEACCOUNT_TOKEN, CLUSTERROLE_AGGREGATION, PODGC, ROOT_CA_CERT_PUBLISHER);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final CommandClient client;
    private final ControllerOptions options;
    private final ClusterCache cache;
    private final ScheduledExecutorService timers;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean leading;
    private volatile boolean closed;
    private KafkaLeaderElection election;

    private record Running(Controller controller, WorkQueue queue, Expectations expectations, ControllerContext context, Actor actor) {
    }

    private ControllerManager(CommandClient client, ClusterView view, EventFeed feed, ControllerOptions options) {
        this.client = client;
        this.options = options;
        this.cache = new ClusterCache(view, feed);
        this.timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "controllers-timers");
            t.setDaemon(true);
            return t;
        });
        for (Controller c : controllers(options)) {
            Expectations expectations = new Expectations(options.clock(), Duration.ofMinutes(5));
            WorkQueue queue = new WorkQueue(timers, Duration.ofMillis(5), Duration.ofSeconds(30));
            Actor actor = Commands.actor("system:serviceaccount:kube-system:" + c.name() + "-controller", "kronika-controllers",
                    "system:serviceaccounts", "system:serviceaccounts:kube-system");
            running.put(c.name(), new Running(c, queue, expectations, new ControllerContext(cache, options.clock(), expectations), actor));
        }
    }

    static List<Controller> controllers(ControllerOptions options) {
        List<Controller> all = new ArrayList<>();
        Set<String> on = options.enabled();
        if (on.contains(REPLICASET)) {
            all.add(ReplicaSetController.replicaSets());
        }
        if (on.contains(REPLICATIONCONTROLLER)) {
            all.add(ReplicaSetController.replicationControllers());
        }
        if (on.contains(DEPLOYMENT)) {
            all.add(new DeploymentController());
        }
        if (on.contains(GARBAGE_COLLECTOR)) {
            all.add(new GarbageCollector());
        }
        if (on.contains(NAMESPACE)) {
            all.add(new NamespaceController());
        }
        if (on.contains(NODE_LIFECYCLE)) {
            all.add(new NodeLifecycleController(options.nodeLifecycle()));
        }
        if (on.contains(PODGC)) {
            all.add(new PodGarbageCollector(options.podGc()));
        }
        if (on.contains(ENDPOINT)) {
            all.add(new EndpointsController());
        }
        if (on.contains(ENDPOINTSLICE)) {
            all.add(new EndpointSliceController());
        }
        if (on.contains(JOB)) {
            all.add(new JobController());
        }
        if (on.contains(STATEFULSET)) {
            all.add(new StatefulSetController());
        }
        if (on.contains(DAEMONSET)) {
            all.add(new DaemonSetController());
        }
        if (on.contains(SERVICEACCOUNT)) {
            all.add(new ServiceAccountController());
        }
        if (on.contains(CRONJOB)) {
            all.add(new CronJobController());
        }
        if (on.contains(RESOURCEQUOTA)) {
            all.add(new ResourceQuotaController());
        }
        if (on.contains(PERSISTENTVOLUME_BINDER)) {
            all.add(new PersistentVolumeController(options.localPathDir()));
        }
        if (on.contains(SERVICEACCOUNT_TOKEN)) {
            all.add(new ServiceAccountTokenController());
        }
        if (on.contains(CLUSTERROLE_AGGREGATION)) {
            all.add(new io.kronika.controllers.rbac.ClusterRoleAggregationController());
        }
        if (on.contains(ROOT_CA_CERT_PUBLISHER) && options.rootCaPem() != null) {
            all.add(new io.kronika.controllers.core.RootCaCertPublisher(options.rootCaPem()));
        }
        return all;
    }

    /**
     * Starts the controllers over {@code view} and {@code feed}, acting through {@code client}. With leader election on,
     * only the member that leads the "controller-manager" election on {@code bootstrapServers} acts.
     */
    public static ControllerManager start(CommandClient client, ClusterView view, EventFeed feed, String bootstrapServers,
                                          TopicNames topics, ControllerOptions options) {
        ControllerManager manager = new ControllerManager(client, view, feed, options);
        manager.cache.addListener(manager::onChange);
        manager.cache.start();
        for (Running r : manager.running.values()) {
            for (int i = 0; i < r.controller().workers(); i++) {
                Thread t = new Thread(() -> manager.work(r), "controller-" + r.controller().name() + "-" + i);
                t.setDaemon(true);
                t.start();
                manager.threads.add(t);
            }
        }
        long resync = options.resyncPeriod().toMillis();
        manager.timers.scheduleWithFixedDelay(manager::enqueueAll, resync, resync, TimeUnit.MILLISECONDS);
        if (options.leaderElection()) {
            manager.election = KafkaLeaderElection.start(bootstrapServers, topics, "controller-manager", options.instanceId(),
                    manager.new Leadership(), options.electionSettings());
        } else {
            manager.leading = true;
            manager.enqueueAll();
        }
        return manager;
    }

    private final class Leadership implements KafkaLeaderElection.Listener {
        @Override
        public void onElected(long epoch) {
            LOG.info("Controller manager {} leads (epoch {})", options.instanceId(), epoch);
            leading = true;
            enqueueAll();
        }

        @Override
        public void onRevoked() {
            leading = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (busy.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10); // waits for in-flight reconciles to finish before another member may act
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public boolean isLeader() {
        return leading;
    }

    /** Waits until this manager acts (it leads, or leader election is off). */
    public boolean awaitLeadership(Duration timeout) throws InterruptedException {
        return election == null || election.awaitLeadership(timeout);
    }

    public ClusterCache cache() {
        return cache;
    }

    /** True when no controller has queued or in-flight work. */
    public boolean idle() {
        return busy.get() == 0 && running.values().stream().allMatch(r -> r.queue().idle());
    }

    private void onChange(ClusterCache.Change change) {
        for (Running r : running.values()) {
            r.expectations().observe(change);
            r.controller().onChange(change, r.queue()::add);
        }
    }

    private void enqueueAll() {
        if (!leading) {
            return;
        }
        for (Running r : running.values()) {
            try {
                r.controller().keys(cache).forEach(r.queue()::add);
            } catch (RuntimeException e) {
                LOG.warn("Listing the keys of {} failed", r.controller().name(), e);
            }
        }
    }

    private void work(Running r) {
        while (!closed) {
            String key;
            try {
                key = r.queue().take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            busy.incrementAndGet();
            try {
                if (leading) {
                    process(r, key);
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed to reconcile {}", r.controller().name(), key, e);
                r.queue().addRateLimited(key);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                busy.decrementAndGet();
                r.queue().done(key);
            }
        }
    }

    private void process(Running r, String key) throws InterruptedException {
        Reconciled result = r.controller().reconcile(key, r.context());
        boolean failed = false;
        long maxRevision = 0;
        List<CompletableFuture<CommandResult>> answers = new ArrayList<>();
        List<Action> sent = new ArrayList<>();
        for (Action action : result.actions()) {
            Command command = command(r, key, action);
            if (command == null) {
                continue;
            }
            if (action instanceof Action.Create c && c.expectationOwner() != null) {
                r.expectations().expectCreate(c.expectationOwner(), ObjectKeys.of(action.target()));
            } else if (action instanceof Action.Delete d && d.expectationOwner() != null) {
                r.expectations().expectDelete(d.expectationOwner(), ObjectKeys.of(action.target()));
            }
            CompletableFuture<CommandResult> answer = client.submit(command);
            if (action instanceof Action.RecordEvent) {
                continue; // best effort: nobody waits for events
            }
            answers.add(answer);
            sent.add(action);
        }
        for (int i = 0; i < answers.size(); i++) {
            Action action = sent.get(i);
            String target = ObjectKeys.of(action.target());
            CommandResult answer;
            try {
                answer = answers.get(i).get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("{}: {} failed: {}", r.controller().name(), Action.describe(action), e.toString());
                forgetExpectation(r, action, target);
                failed = true;
                continue;
            }
            if (answer.getOutcome() == Outcome.ACCEPTED) {
                if (answer.getRevision() != null) {
                    maxRevision = Math.max(maxRevision, answer.getRevision());
                }
                continue;
            }
            forgetExpectation(r, action, target);
            if (action instanceof Action.Delete && answer.getCode() == 404) {
                continue; // already gone: what we wanted
            }
            failed = true;
            if (answer.getCode() == 409 || answer.getCode() == 404) {
                LOG.debug("{}: {} refused: {}", r.controller().name(), Action.describe(action), answer.getMessage());
            } else {
                LOG.warn("{}: {} refused ({} {}): {}", r.controller().name(), Action.describe(action), answer.getCode(),
                        answer.getReason(), answer.getMessage());
            }
        }
        if (maxRevision > 0 && !cache.awaitRevision(maxRevision, Duration.ofSeconds(10))) {
            LOG.warn("{}: the cache did not reach revision {} within 10 s", r.controller().name(), maxRevision);
        }
        if (failed) {
            r.queue().addRateLimited(key);
        } else {
            r.queue().forget(key);
            if (result.requeueAfter() != null) {
                r.queue().addAfter(key, result.requeueAfter());
            }
        }
    }

    private static void forgetExpectation(Running r, Action action, String target) {
        if (action instanceof Action.Create) {
            r.expectations().created(target);
        } else if (action instanceof Action.Delete) {
            r.expectations().deleted(target);
        }
    }

    /**
     * A pod this manager creates passes the ServiceAccount admission the gateway applies to pods created through the API,
     * when the cluster publishes its CA (it authenticates, so the pod's token is of use).
     */
    private ObjectNode admitted(Action.Create create) {
        ObjectRef target = create.target();
        if (options.rootCaPem() == null || !target.getGroup().isEmpty() || !target.getKind().equals("Pod")) {
            return create.object();
        }
        ObjectNode pod = create.object().deepCopy();
        String account = ServiceAccountAdmission.accountName(pod);
        ServiceAccountAdmission.admit(pod, cache.get("", "ServiceAccount", target.getNamespace(), account).map(o -> (JsonNode) o.object()),
                ServiceAccountAdmission.randomSuffix());
        return pod;
    }

    private Command command(Running r, String key, Action action) {
        String cause = r.controller().name() + " controller reconciling " + key;
        Command command;
        if (action instanceof Action.Create c) {
            command = Commands.create(c.target(), Json.write(admitted(c)), r.actor());
        } else if (action instanceof Action.Update u) {
            command = Commands.update(u.target(), Json.write(u.object()), u.expectedRevision(), r.actor());
        } else if (action instanceof Action.UpdateStatus s) {
            command = Commands.updateStatus(s.target(), Json.write(s.object()), s.expectedRevision(), r.actor());
        } else if (action instanceof Action.Delete d) {
            command = Commands.builder(io.kronika.schemas.Operation.DELETE, d.target(), r.actor())
                    .setExpectedUid(d.uid()).setGracePeriodSeconds(d.gracePeriodSeconds()).build();
        } else if (action instanceof Action.RecordEvent e) {
            command = eventCommand(r, e);
        } else {
            return null;
        }
        command.setCause(cause);
        return command;
    }

    private Command eventCommand(Running r, Action.RecordEvent e) {
        ObjectRef target = e.target();
        String namespace = target.getNamespace().isEmpty() ? "default" : target.getNamespace();
        String name = target.getName() + "." + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String now = Json.timestamp(options.clock().instant());
        ObjectNode event = Json.object();
        event.put("apiVersion", "v1");
        event.put("kind", "Event");
        ObjectNode meta = event.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        ObjectNode involved = event.putObject("involvedObject");
        involved.put("apiVersion", e.apiVersion());
        involved.put("kind", target.getKind());
        if (!target.getNamespace().isEmpty()) {
            involved.put("namespace", target.getNamespace());
        }
        involved.put("name", target.getName());
        if (e.uid() != null) {
            involved.put("uid", e.uid());
        }
        event.put("reason", e.reason());
        event.put("message", e.message());
        event.put("type", e.type());
        event.putObject("source").put("component", r.controller().name() + "-controller");
        event.put("firstTimestamp", now);
        event.put("lastTimestamp", now);
        event.put("count", 1);
        event.put("reportingComponent", "kronika-controllers");
        event.put("reportingInstance", options.instanceId());
        return Commands.create(ObjectKeys.ref("", "Event", namespace, name), Json.write(event), r.actor());
    }

    @Override
    public void close() {
        closed = true;
        if (election != null) {
            election.close();
        }
        leading = false;
        running.values().forEach(r -> r.queue().shutDown());
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timers.shutdownNow();
        cache.close();
    }
}
