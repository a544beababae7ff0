package io.kronika.gateway.table;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Columns of apps/v1 and batch/v1 workloads and replication controllers, as kube-apiserver prints them. */
final class WorkloadColumns {
    private static final String NAME = "Name must be unique within a namespace.";

    private WorkloadColumns() {
    }

    static List<Column> deployments() {
        return List.of(Column.name(NAME),
                Column.text("Ready", "Number of the pod with ready state", o -> status(o, "readyReplicas") + "/" + spec(o, "replicas")),
                Column.number("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", o -> status(o, "updatedReplicas")),
                Column.number("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", o -> status(o, "availableReplicas")),
                Column.age(), containers(), images(), selector());
    }

    static List<Column> replicaSets() {
        return List.of(Column.name(NAME),
                Column.number("Desired", "Replicas is the number of desired replicas.", o -> spec(o, "replicas")),
                Column.number("Current", "Replicas is the most recently observed number of replicas.", o -> status(o, "replicas")),
                Column.number("Ready", "The number of ready replicas for this replica set.", o -> status(o, "readyReplicas")),
                Column.age(), containers(), images(), selector());
    }

    static List<Column> replicationControllers() {
        return List.of(Column.name(NAME),
                Column.number("Desired", "Replicas is the number of desired replicas.", o -> spec(o, "replicas")),
                Column.number("Current", "Replicas is the most recently observed number of replicas.", o -> status(o, "replicas")),
                Column.number("Ready", "The number of ready replicas for this replication controller.", o -> status(o, "readyReplicas")),
                Column.age(), containers(), images(),
                Column.text("Selector", "Selector is a label query over pods that should match the Replicas count.",
                        o -> Cells.labels(o.path("spec").path("selector"))).wide());
    }

    static List<Column> statefulSets() {
        return List.of(Column.name(NAME),
                Column.text("Ready", "Number of the pod with ready state", o -> status(o, "readyReplicas") + "/" + spec(o, "replicas")),
                Column.age(), containers(), images());
    }

    static List<Column> daemonSets() {
        return List.of(Column.name(NAME),
                Column.number("Desired", "The total number of nodes that should be running the daemon pod.", o -> status(o, "desiredNumberScheduled")),
                Column.number("Current", "The number of nodes that are running at least 1 daemon pod.", o -> status(o, "currentNumberScheduled")),
                Column.number("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.", o -> status(o, "numberReady")),
                Column.number("Up-to-date", "The total number of nodes that are running updated daemon pod", o -> status(o, "updatedNumberScheduled")),
                Column.number("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.", o -> status(o, "numberAvailable")),
                Column.text("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node.",
                        o -> Cells.labels(o.path("spec").path("template").path("spec").path("nodeSelector"))),
                Column.age(), containers(), images(), selector());
    }

    static List<Column> jobs() {
        return List.of(Column.name(NAME),
                Column.text("Status", "Status of the job.", WorkloadColumns::jobStatus),
                Column.text("Completions", "The desired number of successfully finished pods the job should be run with.", WorkloadColumns::completions),
                new Column("Duration", "string", "", "Time required to complete the job.", 0, WorkloadColumns::jobDuration),
                Column.age(), containers(), images(), selector());
    }

    static List<Column> cronJobs() {
        return List.of(Column.name(NAME),
                Column.text("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.", o -> Cells.text(o.path("spec").path("schedule"))),
                Column.text("Timezone", "The time zone name for the given schedule", o -> Cells.orNone(Cells.text(o.path("spec").path("timeZone")))),
                Column.text("Suspend", "This flag tells the controller to suspend subsequent executions.", o -> Boolean.toString(o.path("spec").path("suspend").asBoolean(false))),
                Column.number("Active", "A list of pointers to currently running jobs.", o -> o.path("status").path("active").size()),
                new Column("Last Schedule", "string", "", "Information when was the last time the job was successfully scheduled.", 0,
                        (o, now) -> o.path("status").path("lastScheduleTime").isTextual() ? Cells.age(o.path("status").path("lastScheduleTime"), now) : Cells.NONE),
                Column.age(),
                Column.text("Containers", "Names of each container in the template.", o -> Cells.containerNames(jobPodSpec(o))).wide(),
                Column.text("Images", "Images referenced by each container in the template.", o -> Cells.containerImages(jobPodSpec(o))).wide(),
                Column.text("Selector", "A label query over pods that should match the pod count.",
                        o -> Cells.selector(o.path("spec").path("jobTemplate").path("spec").path("selector"))).wide());
    }

    private static JsonNode jobPodSpec(JsonNode cronJob) {
        return cronJob.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
    }

    private static String jobStatus(JsonNode job) {
        for (String type : new String[]{"Failed", "Complete", "Suspended", "FailureTarget", "SuccessCriteriaMet"}) {
            for (JsonNode condition : job.path("status").path("conditions")) {
                if (type.equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
                    return switch (type) {
                        case "FailureTarget" -> "FailureTarget";
                        case "SuccessCriteriaMet" -> "SuccessCriteriaMet";
                        default -> type;
                    };
                }
            }
        }
        return job.path("metadata").path("deletionTimestamp").isTextual() ? "Terminating" : "Running";
    }

    private static String completions(JsonNode job) {
        JsonNode completions = job.path("spec").path("completions");
        long succeeded = status(job, "succeeded");
        if (completions.isNumber()) {
            return succeeded + "/" + completions.asLong();
        }
        long parallelism = job.path("spec").path("parallelism").asLong(0);
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static Object jobDuration(JsonNode job, Instant now) {
        JsonNode started = job.path("status").path("startTime");
        if (!started.isTextual()) {
            return "";
        }
        JsonNode completed = job.path("status").path("completionTime");
        Instant end = completed.isTextual() ? Instant.parse(completed.asText()) : now;
        return HumanDuration.format(Duration.between(Instant.parse(started.asText()), end));
    }

    private static long spec(JsonNode object, String field) {
        return Cells.number(object.path("spec").path(field));
    }

    private static long status(JsonNode object, String field) {
        return Cells.number(object.path("status").path(field));
    }

    private static Column containers() {
        return Column.text("Containers", "Names of each container in the template.",
                o -> Cells.containerNames(o.path("spec").path("template").path("spec"))).wide();
    }

    private static Column images() {
        return Column.text("Images", "Images referenced by each container in the template.",
                o -> Cells.containerImages(o.path("spec").path("template").path("spec"))).wide();
    }

    private static Column selector() {
        return Column.text("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.",
                o -> Cells.selector(o.path("spec").path("selector"))).wide();
    }
}
