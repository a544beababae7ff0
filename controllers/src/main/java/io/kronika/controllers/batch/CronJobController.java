package io.kronika.controllers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.controllers.framework.Action;
import io.kronika.controllers.framework.CachedObject;
import io.kronika.controllers.framework.ClusterCache;
import io.kronika.controllers.framework.Controller;
import io.kronika.controllers.framework.ControllerContext;
import io.kronika.controllers.framework.Json;
import io.kronika.controllers.framework.Owners;
import io.kronika.controllers.framework.Reconciled;
import io.kronika.controllers.framework.Templates;
import io.kronika.schemas.ObjectKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * CronJob: at each time its schedule fires (in its time zone, by the controller's clock) it creates a Job named
 * {@code <cronjob>-<minutes since the epoch>} from the jobTemplate — unless suspended, or later than
 * startingDeadlineSeconds, or (Forbid) a job of it is still running; Replace deletes the running ones first. Keeps
 * successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1) finished jobs; status: active, lastScheduleTime,
 * lastSuccessfulTime.
 */
public final class CronJobController implements Controller {
    public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    private static final String CRON_PREFIX = ObjectKeys.kindPrefix("batch", "CronJob");
    /** Kubernetes gives up listing missed times after this many. */
    static final int MAX_MISSED = 100;

    @Override
    public String name() {
        return "cronjob";
    }

    @Override
    public void onChange(ClusterCache.Change change, Consumer<String> enqueue) {
        if (change.key().startsWith(CRON_PREFIX)) {
            enqueue.accept(change.key());
        } else if (change.key().startsWith(ObjectKeys.kindPrefix("batch", "Job"))) {
            Owners.enqueueController(change, "batch", "CronJob", enqueue);
        }
    }

    @Override
    public Collection<String> keys(ClusterCache cache) {
        return cache.listKind("batch", "CronJob").stream().map(CachedObject::key).toList();
    }

    @Override
    public Reconciled reconcile(String key, ControllerContext context) {
        CachedObject cj = context.cache().get(key).orElse(null);
        if (cj == null) {
            return Reconciled.nothing();
        }
        List<CachedObject> jobs = context.cache().listKind("batch", "Job", cj.namespace()).stream()
                .filter(j -> Owners.isControlledBy(j.object(), cj.uid())).toList();
        return sync(cj, jobs, context.clock().instant());
    }

    static String jobName(CachedObject cj, Instant scheduled) {
        return cj.name() + "-" + scheduled.getEpochSecond() / 60;
    }

    /** The pure reconcile: the CronJob, the Jobs it controls, the time. */
    public static Reconciled sync(CachedObject cj, List<CachedObject> jobs, Instant now) {
        JsonNode c = cj.object();
        if (Json.isTerminating(c)) {
            return Reconciled.nothing();
        }
        List<Action> actions = new ArrayList<>();
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(String.valueOf(Json.text(c, "spec", "schedule")), Json.text(c, "spec", "timeZone"));
        } catch (RuntimeException e) {
            return Reconciled.of(List.of(new Action.RecordEvent(cj.ref(), cj.uid(), "batch/v1", "Warning", "UnparseableSchedule",
                    "unparseable schedule " + Json.text(c, "spec", "schedule") + ": " + e.getMessage())));
        }
        List<CachedObject> active = new ArrayList<>();
        List<CachedObject> succeeded = new ArrayList<>();
        List<CachedObject> failed = new ArrayList<>();
        for (CachedObject j : jobs) {
            if (Json.conditionTrue(j.object(), "Complete")) {
                succeeded.add(j);
            } else if (Json.conditionTrue(j.object(), "Failed")) {
                failed.add(j);
            } else if (!Json.isTerminating(j.object())) {
                active.add(j);
            }
        }
        ObjectNode status = c.has("status") && c.get("status").isObject() ? ((ObjectNode) c.get("status")).deepCopy() : Json.object();

        // the most recent missed time, if any
        Instant earliest = Json.instant(Json.text(c, "status", "lastScheduleTime"));
        if (earliest == null) {
            earliest = Json.instant(Json.text(c, "metadata", "creationTimestamp"));
        }
        if (earliest == null) {
            earliest = now;
        }
        Long deadline = c.path("spec").has("startingDeadlineSeconds") ? c.path("spec").path("startingDeadlineSeconds").asLong() : null;
        if (deadline != null && earliest.isBefore(now.minusSeconds(deadline))) {
            earliest = now.minusSeconds(deadline);
        }
        Instant missed = null;
        int count = 0;
        for (Instant t = schedule.next(earliest); t != null && !t.isAfter(now) && count <= MAX_MISSED; t = schedule.next(t)) {
            missed = t;
            count++;
        }
        boolean suspended = c.path("spec").path("suspend").asBoolean(false);
        if (missed != null && !suspended) {
            String name = jobName(cj, missed);
            boolean exists = jobs.stream().anyMatch(j -> j.name().equals(name));
            String policy = Json.text(c, "spec", "concurrencyPolicy") == null ? "Allow" : Json.text(c, "spec", "concurrencyPolicy");
            List<CachedObject> others = active.stream().filter(j -> !j.name().equals(name)).toList();
            if (exists) {
                status.put("lastScheduleTime", Json.timestamp(missed));
            } else if ("Forbid".equals(policy) && !others.isEmpty()) {
                actions.add(new Action.RecordEvent(cj.ref(), cj.uid(), "batch/v1", "Normal", "JobAlreadyActive",
                        "Not starting job because prior execution is running and concurrency policy is Forbid"));
            } else {
                if ("Replace".equals(policy)) {
                    for (CachedObject j : others) {
                        actions.add(new Action.Delete(j.ref(), j.uid(), null, null));
                        actions.add(new Action.RecordEvent(cj.ref(), cj.uid(), "batch/v1", "Normal", "SuccessfulDelete", "Deleted job " + j.name()));
                    }
                    active.removeAll(others);
                }
                ObjectNode job = job(cj, name, missed);
                actions.add(new Action.Create(ObjectKeys.ref("batch", "Job", cj.namespace(), name), job, null));
                actions.add(new Action.RecordEvent(cj.ref(), cj.uid(), "batch/v1", "Normal", "SuccessfulCreate", "Created job " + name));
                status.put("lastScheduleTime", Json.timestamp(missed));
                active.add(new CachedObject(ObjectKeys.of("batch", "Job", cj.namespace(), name), ObjectKeys.ref("batch", "Job", cj.namespace(), name),
                        0, null, job));
            }
        }
        // history limits
        actions.addAll(prune(succeeded, (int) Json.longAt(c, 3, "spec", "successfulJobsHistoryLimit")));
        actions.addAll(prune(failed, (int) Json.longAt(c, 1, "spec", "failedJobsHistoryLimit")));
        // status
        ArrayNode refs = Json.array();
        active.stream().sorted(Comparator.comparing(CachedObject::name)).forEach(j -> {
            ObjectNode ref = refs.addObject();
            ref.put("apiVersion", "batch/v1");
            ref.put("kind", "Job");
            ref.put("namespace", cj.namespace());
            ref.put("name", j.name());
            if (j.uid() != null) {
                ref.put("uid", j.uid());
            }
        });
        if (refs.isEmpty()) {
            status.remove("active");
        } else {
            status.set("active", refs);
        }
        succeeded.stream().map(j -> Json.instant(Json.text(j.object(), "status", "completionTime"))).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).ifPresent(t -> status.put("lastSuccessfulTime", Json.timestamp(t)));
        Action update = Templates.statusUpdate(cj, status);
        if (update != null) {
            actions.add(update);
        }
        Reconciled r = Reconciled.of(actions);
        Instant next = schedule.next(now);
        return next == null ? r : r.after(Duration.between(now, next).plusMillis(100));
    }

    private static List<Action> prune(List<CachedObject> finished, int keep) {
        List<Action> out = new ArrayList<>();
        if (finished.size() <= keep) {
            return out;
        }
        List<CachedObject> sorted = new ArrayList<>(finished);
        sorted.sort(Comparator.comparing((CachedObject j) -> String.valueOf(Json.annotations(j.object()).get(SCHEDULED_TIMESTAMP)))
                .thenComparing(CachedObject::name));
        for (CachedObject j : sorted.subList(0, sorted.size() - Math.max(0, keep))) {
            out.add(new Action.Delete(j.ref(), j.uid(), null, null));
        }
        return out;
    }

    private static ObjectNode job(CachedObject cj, String name, Instant scheduled) {
        JsonNode template = Json.at(cj.object(), "spec", "jobTemplate");
        ObjectNode job = Json.object();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        ObjectNode meta = job.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", cj.namespace());
        JsonNode templateMeta = template == null ? null : template.get("metadata");
        if (templateMeta != null && templateMeta.has("labels")) {
            meta.set("labels", templateMeta.get("labels").deepCopy());
        }
        ObjectNode annotations = templateMeta != null && templateMeta.get("annotations") instanceof ObjectNode a ? a.deepCopy() : Json.object();
        annotations.put(SCHEDULED_TIMESTAMP, Json.timestamp(scheduled));
        meta.set("annotations", annotations);
        meta.putArray("ownerReferences").add(Owners.controllerRef("batch/v1", "CronJob", cj.name(), cj.uid()));
        JsonNode spec = template == null ? null : template.get("spec");
        job.set("spec", spec == null ? Json.object() : spec.deepCopy());
        return job;
    }
}
