package io.kronika.controllers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.core.Pods;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Templates;
import io.kronika.controllers.apps.ReplicaSetController;
import io.kronika.schemas.ObjectKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Job: runs pods until {@code completions} succeed (NonIndexed) or every index in [0, completions) has a succeeded
 * pod (Indexed), at most {@code parallelism} at a time; fails the job (condition Failed) when more than
 * {@code backoffLimit} pods failed or {@code activeDeadlineSeconds} passed, deleting its active pods; marks it
 * Complete otherwise; deletes it {@code ttlSecondsAfterFinished} after it finished. Failed pods go through the
 * {@link PodFailurePolicy} first (FailJob fails the job with reason PodFailurePolicy, Ignore does not count, FailIndex
 * fails the pod's index); Indexed jobs with {@code backoffLimitPerIndex} fail an index past that many failures and the
 * job once every index has finished with some failed, or past {@code maxFailedIndexes}.
 */
public final class JobController implements Controller {
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    public static final String CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
    private static final String JOB_PREFIX = ObjectKeys.kindPrefix("batch", "Job");

    @Override
    public String name() {
        return "job";
    }

    @Override
    public int workers() {
        return 2;
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(JOB_PREFIX)) {
            enqueue.accept(change.key());
        } else if (change.key().startsWith(ObjectKeys.kindPrefix("", "Pod"))) {
            Owners.enqueueController(change, "batch", "Job", enqueue);
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return cache.listKind("batch", "Job").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        CachedObject job = context.cache().get(key).orElse(null);
        if (job == null) {
            context.expectations().forget(key);
            return Reconciled.nothing();
        }
        List<CachedObject> pods = context.cache().listKind("", "Pod", job.namespace()).stream()
                .filter(p -> Owners.isControlledBy(p.object(), job.uid())).toList();
        return sync(job, pods, context.expectations().satisfied(key), context.clock().instant(), ReplicaSetController::randomSuffix);
    }

    /** Whether the job has finished: its Complete or Failed condition is True. */
    public static boolean finished(JsonNode job) {
        return Json.conditionTrue(job, "Complete") || Json.conditionTrue(job, "Failed");
    }

    /** The pure reconcile: the job, the pods it controls, whether its earlier creates and deletes were seen, the time. */
    public static Reconciled sync(CachedObject job, List<CachedObject> pods, boolean expectationsSatisfied, Instant now,
                                  Supplier<String> suffixes) {
        JsonNode j = job.object();
        if (Json.isTerminating(j)) {
            return Reconciled.nothing();
        }
        List<Action> actions = new ArrayList<>();
        String nowText = Json.timestamp(now);
        if (finished(j)) {
            return finishedJob(job, now);
        }
        boolean indexed = "Indexed".equals(Json.text(j, "spec", "completionMode"));
        Integer completions = j.path("spec").has("completions") && !j.path("spec").path("completions").isNull()
                ? j.path("spec").path("completions").asInt() : null;
        int parallelism = (int) Json.longAt(j, 1, "spec", "parallelism");
        long perIndexLimit = Json.longAt(j, -1, "spec", "backoffLimitPerIndex");
        int backoffLimit = (int) Json.longAt(j, perIndexLimit >= 0 ? Integer.MAX_VALUE : 6, "spec", "backoffLimit");
        long deadline = Json.longAt(j, -1, "spec", "activeDeadlineSeconds");
        boolean suspended = j.path("spec").path("suspend").asBoolean(false);
        Instant started = Json.instant(Json.text(j, "status", "startTime"));
        if (started == null && !suspended) {
            started = now;
        }

        List<CachedObject> active = pods.stream().filter(p -> Pods.isActive(p.object())).toList();
        int succeeded = 0;
        int failed = 0;
        TreeSet<Integer> succeededIndexes = new TreeSet<>();
        TreeSet<Integer> failedIndexes = new TreeSet<>();
        Map<Integer, Integer> failuresPerIndex = new HashMap<>();
        PodFailurePolicy.Decision failJob = null;
        JsonNode failurePolicy = Json.at(j, "spec", "podFailurePolicy");
        for (CachedObject p : pods.stream().sorted(Comparator.comparing(CachedObject::name)).toList()) {
            String phase = Pods.phase(p.object());
            Integer index = indexed ? index(p.object()) : null;
            if ("Succeeded".equals(phase)) {
                succeeded++;
                if (index != null) {
                    succeededIndexes.add(index);
                }
            } else if ("Failed".equals(phase)) {
                PodFailurePolicy.Decision decision = PodFailurePolicy.decide(failurePolicy, p.object());
                if (PodFailurePolicy.IGNORE.equals(decision.action())) {
                    continue;
                }
                failed++;
                if (PodFailurePolicy.FAIL_JOB.equals(decision.action()) && failJob == null) {
                    failJob = decision;
                } else if (index != null && PodFailurePolicy.FAIL_INDEX.equals(decision.action())) {
                    failedIndexes.add(index);
                } else if (index != null && perIndexLimit >= 0 && failuresPerIndex.merge(index, 1, Integer::sum) > perIndexLimit) {
                    failedIndexes.add(index);
                }
            }
        }
        failedIndexes.removeAll(succeededIndexes);
        if ("OnFailure".equals(Json.text(j, "spec", "template", "spec", "restartPolicy"))) {
            for (CachedObject p : active) {
                failed += Pods.restarts(p.object()); // with OnFailure a failure restarts the container in place
            }
        }
        int ready = (int) active.stream().filter(p -> Pods.isReady(p.object())).count();

        ObjectNode status = j.has("status") && j.get("status").isObject() ? ((ObjectNode) j.get("status")).deepCopy() : Json.object();
        if (started != null) {
            status.put("startTime", Json.timestamp(started));
        }
        String failure = null;
        String failureMessage = null;
        int total = completions == null ? 1 : completions;
        long maxFailedIndexes = Json.longAt(j, -1, "spec", "maxFailedIndexes");
        if (failJob != null) {
            failure = "PodFailurePolicy";
            failureMessage = failJob.message();
        } else if (failed > backoffLimit) {
            failure = "BackoffLimitExceeded";
            failureMessage = "Job has reached the specified backoff limit";
        } else if (deadline >= 0 && started != null && !started.plusSeconds(deadline).isAfter(now)) {
            failure = "DeadlineExceeded";
            failureMessage = "Job was active longer than specified deadline";
        } else if (maxFailedIndexes >= 0 && failedIndexes.size() > maxFailedIndexes) {
            failure = "MaxFailedIndexesExceeded";
            failureMessage = "Job has exceeded the specified maximal number of failed indexes";
        } else if (!failedIndexes.isEmpty() && succeededIndexes.stream().filter(i -> i < total).count() + failedIndexes.size() >= total) {
            failure = "FailedIndexes";
            failureMessage = "Job has failed indexes";
        }
        boolean complete;
        if (indexed) {
            complete = succeededIndexes.stream().filter(i -> i < total).count() >= total;
        } else {
            complete = completions == null ? succeeded > 0 && active.isEmpty() : succeeded >= completions;
        }
        int activeAfter = active.size();
        Duration recheck = null;
        if (failure != null || complete) {
            for (CachedObject p : active) {
                actions.add(new Action.Delete(p.ref(), p.uid(), null, job.key()));
            }
            activeAfter = 0;
            if (failure != null) {
                Templates.setCondition(status, j, "FailureTarget", "True", failure, failureMessage, nowText);
                Templates.setCondition(status, j, "Failed", "True", failure, failureMessage, nowText);
                actions.add(event(job, "Warning", failure, failureMessage));
            } else {
                Templates.setCondition(status, j, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", nowText);
                Templates.setCondition(status, j, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", nowText);
                status.put("completionTime", nowText);
                actions.add(event(job, "Normal", "Completed", "Job completed"));
            }
            long ttl = Json.longAt(j, -1, "spec", "ttlSecondsAfterFinished");
            if (ttl >= 0) {
                recheck = Duration.ofSeconds(ttl).plusMillis(100);
            }
        } else if (!suspended && expectationsSatisfied) {
            if (indexed) {
                TreeSet<Integer> busy = new TreeSet<>(succeededIndexes);
                busy.addAll(failedIndexes);
                for (CachedObject p : active) {
                    Integer index = index(p.object());
                    if (index != null) {
                        busy.add(index);
                    }
                }
                int room = parallelism - active.size();
                for (int i = 0; i < total && room > 0; i++) {
                    if (!busy.contains(i)) {
                        actions.add(create(job, i, suffixes.get()));
                        room--;
                        activeAfter++;
                    }
                }
            } else {
                int wanted = completions == null ? (succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
                for (int i = active.size(); i < wanted; i++) {
                    actions.add(create(job, null, suffixes.get()));
                    activeAfter++;
                }
                if (active.size() > wanted) {
                    List<CachedObject> ranked = new ArrayList<>(active);
                    ranked.sort(ReplicaSetController.deletionOrder(now));
                    for (CachedObject p : ranked.subList(0, active.size() - wanted)) {
                        actions.add(new Action.Delete(p.ref(), p.uid(), null, job.key()));
                        activeAfter--;
                    }
                }
            }
            if (deadline >= 0 && started != null) {
                recheck = Duration.between(now, started.plusSeconds(deadline)).plusMillis(100);
            }
        }
        status.put("active", activeAfter);
        status.put("ready", ready);
        status.put("succeeded", succeeded);
        status.put("failed", failed);
        if (indexed) {
            status.put("completedIndexes", ranges(succeededIndexes));
            if (perIndexLimit >= 0 || !failedIndexes.isEmpty()) {
                status.put("failedIndexes", ranges(failedIndexes));
            }
        }
        Action update = Templates.statusUpdate(job, status);
        if (update != null) {
            actions.add(update);
        }
        Reconciled r = Reconciled.of(actions);
        return recheck == null ? r : r.after(recheck);
    }

    private static Reconciled finishedJob(CachedObject job, Instant now) {
        JsonNode j = job.object();
        long ttl = Json.longAt(j, -1, "spec", "ttlSecondsAfterFinished");
        if (ttl < 0) {
            return Reconciled.nothing();
        }
        String type = Json.conditionTrue(j, "Complete") ? "Complete" : "Failed";
        Instant finishedAt = Json.instant(Json.text(j, "status", "completionTime"));
        if (finishedAt == null) {
            finishedAt = Json.instant(Json.text(Json.condition(j, type), "lastTransitionTime"));
        }
        if (finishedAt == null) {
            finishedAt = now;
        }
        Instant expires = finishedAt.plusSeconds(ttl);
        if (!expires.isAfter(now)) {
            return Reconciled.of(List.of(new Action.Delete(job.ref(), job.uid(), null, null)));
        }
        return Reconciled.nothing().after(Duration.between(now, expires).plusMillis(100));
    }

    static Integer index(JsonNode pod) {
        String v = Json.annotations(pod).get(COMPLETION_INDEX);
        if (v == null) {
            v = Json.labels(pod).get(COMPLETION_INDEX);
        }
        try {
            return v == null ? null : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Kubernetes' compressed index list: "0-2,4,6-7". */
    public static String ranges(TreeSet<Integer> indexes) {
        StringBuilder sb = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int i : indexes) {
            if (start == null) {
                start = i;
            } else if (i != prev + 1) {
                append(sb, start, prev);
                start = i;
            }
            prev = i;
        }
        if (start != null) {
            append(sb, start, prev);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int from, int to) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        // as Kubernetes writes intervals: two neighbours stay a list, three or more become a range
        sb.append(from == to ? String.valueOf(from) : from + (to == from + 1 ? "," : "-") + to);
    }

    private static Action create(CachedObject job, Integer index, String suffix) {
        String prefix = Templates.generateName(index == null ? job.name() : job.name() + "-" + index);
        ObjectNode pod = Templates.pod(job, "batch/v1", "Job", Json.at(job.object(), "spec", "template"), prefix + suffix, prefix);
        ObjectNode labels = Json.metadata(pod).with("labels");
        labels.put(JOB_NAME_LABEL, job.name());
        labels.put("job-name", job.name());
        labels.put(CONTROLLER_UID_LABEL, job.uid());
        labels.put("controller-uid", job.uid());
        if (index != null) {
            labels.put(COMPLETION_INDEX, String.valueOf(index));
            Json.metadata(pod).with("annotations").put(COMPLETION_INDEX, String.valueOf(index));
            JsonNode containers = pod.path("spec").path("containers");
            for (JsonNode c : containers) {
                ArrayNode env = ((ObjectNode) c).withArray("env");
                ObjectNode var = env.addObject();
                var.put("name", "JOB_COMPLETION_INDEX");
                var.put("value", String.valueOf(index));
            }
        }
        return new Action.Create(ObjectKeys.ref("", "Pod", job.namespace(), Json.name(pod)), pod, job.key());
    }

    private static Action event(CachedObject job, String type, String reason, String message) {
        return new Action.RecordEvent(job.ref(), job.uid(), "batch/v1", type, reason, message);
    }
}
