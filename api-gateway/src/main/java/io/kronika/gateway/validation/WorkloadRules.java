package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

import static io.kronika.gateway.validation.Json.F;
import static io.kronika.gateway.validation.Json.get;
import static io.kronika.gateway.validation.Json.obj;
import static io.kronika.gateway.validation.Json.objOrCreate;
import static io.kronika.gateway.validation.Json.setIfAbsent;
import static io.kronika.gateway.validation.Json.str;

/**
 * Defaults (pkg/apis/apps/v1, batch/v1 defaults.go) and validation (pkg/apis/apps/validation,
 * pkg/apis/batch/validation) of workloads: Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController,
 * Job, CronJob.
 */
final class WorkloadRules {
    private WorkloadRules() {
    }

    private static final String MISMATCH = "`selector` does not match template `labels`";

    // ------------------------------------------------------------------ apps/v1

    static void defaultDeployment(ObjectNode d) {
        ObjectNode spec = objOrCreate(d, "spec");
        setIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = objOrCreate(spec, "strategy");
        setIfAbsent(strategy, "type", "RollingUpdate");
        if (str(strategy, "type").equals("RollingUpdate")) {
            ObjectNode ru = objOrCreate(strategy, "rollingUpdate");
            if (get(ru, "maxUnavailable") == null) {
                ru.put("maxUnavailable", "25%");
            }
            if (get(ru, "maxSurge") == null) {
                ru.put("maxSurge", "25%");
            }
        }
        setIfAbsent(spec, "revisionHistoryLimit", 10);
        setIfAbsent(spec, "progressDeadlineSeconds", 600);
        PodRules.defaultTemplate(obj(spec, "template"));
    }

    static void defaultReplicaSet(ObjectNode rs) {
        ObjectNode spec = objOrCreate(rs, "spec");
        setIfAbsent(spec, "replicas", 1);
        PodRules.defaultTemplate(obj(spec, "template"));
    }

    static void defaultStatefulSet(ObjectNode ss) {
        ObjectNode spec = objOrCreate(ss, "spec");
        setIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = objOrCreate(spec, "updateStrategy");
        setIfAbsent(strategy, "type", "RollingUpdate");
        if (str(strategy, "type").equals("RollingUpdate")) {
            ObjectNode ru = objOrCreate(strategy, "rollingUpdate");
            setIfAbsent(ru, "partition", 0);
        }
        setIfAbsent(spec, "replicas", 1);
        setIfAbsent(spec, "revisionHistoryLimit", 10);
        ObjectNode retention = objOrCreate(spec, "persistentVolumeClaimRetentionPolicy");
        setIfAbsent(retention, "whenDeleted", "Retain");
        setIfAbsent(retention, "whenScaled", "Retain");
        PodRules.defaultTemplate(obj(spec, "template"));
    }

    static void defaultDaemonSet(ObjectNode ds) {
        ObjectNode spec = objOrCreate(ds, "spec");
        ObjectNode strategy = objOrCreate(spec, "updateStrategy");
        setIfAbsent(strategy, "type", "RollingUpdate");
        if (str(strategy, "type").equals("RollingUpdate")) {
            ObjectNode ru = objOrCreate(strategy, "rollingUpdate");
            if (get(ru, "maxUnavailable") == null) {
                ru.put("maxUnavailable", 1);
            }
            if (get(ru, "maxSurge") == null) {
                ru.put("maxSurge", 0);
            }
        }
        setIfAbsent(spec, "revisionHistoryLimit", 10);
        PodRules.defaultTemplate(obj(spec, "template"));
    }

    /** SetDefaults_ReplicationController: selector and labels from the template, replicas 1. */
    static void defaultReplicationController(ObjectNode rc) {
        ObjectNode spec = objOrCreate(rc, "spec");
        ObjectNode template = obj(spec, "template");
        if (template != null) {
            Map<String, String> labels = Json.stringMap(obj(template, "metadata"), "labels");
            if (!labels.isEmpty()) {
                if (Json.stringMap(spec, "selector").isEmpty()) {
                    ObjectNode sel = F.objectNode();
                    labels.forEach(sel::put);
                    spec.set("selector", sel);
                }
                ObjectNode meta = objOrCreate(rc, "metadata");
                if (Json.stringMap(meta, "labels").isEmpty()) {
                    ObjectNode l = F.objectNode();
                    labels.forEach(l::put);
                    meta.set("labels", l);
                }
            }
        }
        setIfAbsent(spec, "replicas", 1);
        PodRules.defaultTemplate(template);
    }

    /** Deployment, ReplicaSet, StatefulSet and DaemonSet specs. */
    static void validateAppsSpec(String kind, JsonNode object, Errs errs) {
        JsonNode spec = obj(object, "spec");
        String p = "spec";
        if (!kind.equals("DaemonSet")) {
            nonNegative(spec, "replicas", p, errs);
        }
        nonNegative(spec, "minReadySeconds", p, errs);
        nonNegative(spec, "revisionHistoryLimit", p, errs);
        JsonNode selector = obj(spec, "selector");
        if (selector == null) {
            errs.required(p + ".selector", "");
        } else {
            ObjectMetaRules.validateSelector(selector, p + ".selector", errs);
            if (ObjectMetaRules.selectorEmpty(selector)) {
                String what = switch (kind) {
                    case "StatefulSet" -> "statefulset";
                    case "DaemonSet" -> "daemonset";
                    default -> "deployment";
                };
                errs.invalid(p + ".selector", ObjectMetaRules.selectorLiteral(selector), "empty selector is invalid for " + what);
            }
        }
        JsonNode template = obj(spec, "template");
        if (template == null) {
            errs.required(p + ".template", "");
        } else {
            Map<String, String> labels = Json.stringMap(obj(template, "metadata"), "labels");
            if (selector != null && !ObjectMetaRules.selectorEmpty(selector) && !ObjectMetaRules.matches(selector, labels)) {
                errs.invalid(p + ".template.metadata.labels", Errs.goMapLiteral(labels), MISMATCH);
            }
            PodRules.validateTemplate(template, p + ".template", errs);
            String restart = str(obj(template, "spec"), "restartPolicy");
            if (!restart.equals("Always")) {
                errs.notSupported(p + ".template.spec.restartPolicy", restart, List.of("Always"));
            }
            JsonNode deadline = get(obj(template, "spec"), "activeDeadlineSeconds");
            if (deadline != null) {
                if (kind.equals("StatefulSet") || kind.equals("DaemonSet")) {
                    errs.forbidden(p + ".template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in " + kind + " is not Supported");
                } else {
                    errs.invalid(p + ".template.spec.activeDeadlineSeconds", deadline.asLong(), "activeDeadlineSeconds in ReplicaSet is not Supported");
                }
            }
        }
        switch (kind) {
            case "Deployment" -> validateDeploymentStrategy(spec, errs);
            case "StatefulSet" -> {
                String pmp = str(spec, "podManagementPolicy");
                if (!List.of("OrderedReady", "Parallel").contains(pmp)) {
                    errs.invalid(p + ".podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'");
                }
                String type = str(obj(spec, "updateStrategy"), "type");
                if (!List.of("OnDelete", "RollingUpdate").contains(type)) {
                    errs.invalid(p + ".updateStrategy", type, "must be 'RollingUpdate' or 'OnDelete'");
                }
                nonNegative(obj(obj(spec, "updateStrategy"), "rollingUpdate"), "partition", p + ".updateStrategy.rollingUpdate", errs);
            }
            case "DaemonSet" -> {
                String type = str(obj(spec, "updateStrategy"), "type");
                if (!List.of("OnDelete", "RollingUpdate").contains(type)) {
                    errs.notSupported(p + ".updateStrategy", type, List.of("OnDelete", "RollingUpdate"));
                } else if (type.equals("RollingUpdate")) {
                    JsonNode ru = obj(obj(spec, "updateStrategy"), "rollingUpdate");
                    validateIntOrPercent(get(ru, "maxUnavailable"), p + ".updateStrategy.rollingUpdate.maxUnavailable", errs);
                    validateIntOrPercent(get(ru, "maxSurge"), p + ".updateStrategy.rollingUpdate.maxSurge", errs);
                    if (isZero(get(ru, "maxUnavailable")) && isZero(get(ru, "maxSurge"))) {
                        errs.invalid(p + ".updateStrategy.rollingUpdate.maxUnavailable", intOrString(get(ru, "maxUnavailable")),
                                "may not be 0 when `maxSurge` is 0");
                    }
                }
            }
            default -> {
            }
        }
    }

    private static void validateDeploymentStrategy(JsonNode spec, Errs errs) {
        JsonNode strategy = obj(spec, "strategy");
        String type = str(strategy, "type");
        switch (type) {
            case "Recreate" -> {
                if (Json.has(strategy, "rollingUpdate")) {
                    errs.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
                }
            }
            case "RollingUpdate" -> {
                JsonNode ru = obj(strategy, "rollingUpdate");
                if (ru == null) {
                    errs.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil");
                } else {
                    String rp = "spec.strategy.rollingUpdate";
                    validateIntOrPercent(get(ru, "maxUnavailable"), rp + ".maxUnavailable", errs);
                    validateIntOrPercent(get(ru, "maxSurge"), rp + ".maxSurge", errs);
                    JsonNode mu = get(ru, "maxUnavailable");
                    if (mu != null && mu.isTextual() && percent(mu.textValue()) > 100) {
                        errs.invalid(rp + ".maxUnavailable", mu.textValue(), "must not be greater than 100%");
                    }
                    if (isZero(mu) && isZero(get(ru, "maxSurge"))) {
                        errs.invalid(rp + ".maxUnavailable", intOrString(mu), "may not be 0 when `maxSurge` is 0");
                    }
                }
            }
            default -> errs.notSupported("spec.strategy", type, List.of("Recreate", "RollingUpdate"));
        }
        JsonNode deadline = get(spec, "progressDeadlineSeconds");
        if (deadline != null && deadline.isNumber()) {
            if (deadline.asLong() < 0) {
                errs.invalid("spec.progressDeadlineSeconds", deadline.asLong(), "must be greater than or equal to 0");
            }
            JsonNode min = get(spec, "minReadySeconds");
            if (deadline.asLong() <= (min == null ? 0 : min.asLong())) {
                errs.invalid("spec.progressDeadlineSeconds", deadline.asLong(), "must be greater than minReadySeconds");
            }
        }
    }

    static void nonNegative(JsonNode spec, String field, String path, Errs errs) {
        JsonNode v = get(spec, field);
        if (v != null && v.isNumber() && v.asLong() < 0) {
            errs.invalid(path + "." + field, v.asLong(), "must be greater than or equal to 0");
        }
    }

    private static int percent(String s) {
        if (!s.matches("[0-9]+%")) {
            return -1;
        }
        try {
            return Integer.parseInt(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static boolean isZero(JsonNode v) {
        if (v == null) {
            return true;
        }
        return v.isNumber() ? v.asLong() == 0 : percent(v.asText()) == 0;
    }

    private static Errs.Raw intOrString(JsonNode v) {
        if (v == null || v.isNumber()) {
            return new Errs.Raw("intstr.IntOrString{Type:0, IntVal:" + (v == null ? 0 : v.asLong()) + ", StrVal:\"\"}");
        }
        return new Errs.Raw("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + GoFormat.quote(v.asText()) + "}");
    }

    /** ValidatePositiveIntOrPercent. */
    private static void validateIntOrPercent(JsonNode v, String path, Errs errs) {
        if (v == null) {
            return;
        }
        if (v.isTextual()) {
            if (percent(v.textValue()) < 0) {
                errs.invalid(path, v.textValue(), Errs.regexError("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%", "93%"));
            }
        } else if (v.isNumber() && v.asLong() < 0) {
            errs.invalid(path, v.asLong(), "must be greater than or equal to 0");
        }
    }

    static void validateReplicationController(JsonNode rc, Errs errs) {
        JsonNode spec = obj(rc, "spec");
        nonNegative(spec, "replicas", "spec", errs);
        nonNegative(spec, "minReadySeconds", "spec", errs);
        Map<String, String> selector = Json.stringMap(spec, "selector");
        if (selector.isEmpty()) {
            errs.required("spec.selector", "");
        } else {
            ObjectMetaRules.validateLabels(selector, "spec.selector", errs);
        }
        JsonNode template = obj(spec, "template");
        if (template == null) {
            errs.required("spec.template", "");
            return;
        }
        Map<String, String> labels = Json.stringMap(obj(template, "metadata"), "labels");
        if (!selector.isEmpty()) {
            boolean match = selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
            if (!match) {
                errs.invalid("spec.template.metadata.labels", Errs.goMapLiteral(labels), MISMATCH);
            }
        }
        PodRules.validateTemplate(template, "spec.template", errs);
        String restart = str(obj(template, "spec"), "restartPolicy");
        if (!restart.equals("Always")) {
            errs.notSupported("spec.template.spec.restartPolicy", restart, List.of("Always"));
        }
    }

    // ------------------------------------------------------------------ batch/v1

    static void defaultJobSpec(ObjectNode spec) {
        if (get(spec, "completions") == null && get(spec, "parallelism") == null) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        setIfAbsent(spec, "parallelism", 1);
        setIfAbsent(spec, "backoffLimit", Json.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        setIfAbsent(spec, "completionMode", "NonIndexed");
        setIfAbsent(spec, "suspend", false);
        setIfAbsent(spec, "podReplacementPolicy", Json.has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        PodRules.defaultTemplate(obj(spec, "template"));
    }

    /** Job defaults, plus what the Job strategy adds at create: generated selector and template labels. */
    static void defaultJob(ObjectNode job, boolean create) {
        ObjectNode spec = objOrCreate(job, "spec");
        defaultJobSpec(spec);
        ObjectNode template = obj(spec, "template");
        ObjectNode meta = objOrCreate(job, "metadata");
        if (template != null) {
            Map<String, String> tlabels = Json.stringMap(obj(template, "metadata"), "labels");
            if (Json.stringMap(meta, "labels").isEmpty() && !tlabels.isEmpty()) {
                ObjectNode l = F.objectNode();
                tlabels.forEach(l::put);
                meta.set("labels", l);
            }
        }
        JsonNode manual = get(spec, "manualSelector");
        if (create && template != null && (manual == null || !manual.asBoolean(false))) {
            String name = str(meta, "name");
            String uid = str(meta, "uid");
            ObjectNode tlabels = objOrCreate(objOrCreate(template, "metadata"), "labels");
            if (!uid.isEmpty()) {
                tlabels.put("batch.kubernetes.io/controller-uid", uid);
                tlabels.put("controller-uid", uid);
                if (!Json.has(spec, "selector")) {
                    ObjectNode sel = F.objectNode();
                    objOrCreate(sel, "matchLabels").put("batch.kubernetes.io/controller-uid", uid);
                    spec.set("selector", sel);
                }
            }
            if (!name.isEmpty()) {
                tlabels.put("batch.kubernetes.io/job-name", name);
                tlabels.put("job-name", name);
            }
        }
    }

    static void defaultCronJob(ObjectNode cj) {
        ObjectNode spec = objOrCreate(cj, "spec");
        setIfAbsent(spec, "concurrencyPolicy", "Allow");
        setIfAbsent(spec, "suspend", false);
        setIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        setIfAbsent(spec, "failedJobsHistoryLimit", 1);
        ObjectNode jobSpec = obj(obj(spec, "jobTemplate"), "spec");
        if (jobSpec != null) {
            defaultJobSpec(jobSpec);
        }
    }

    static void validateJobSpec(JsonNode spec, String p, boolean template, Errs errs) {
        nonNegative(spec, "parallelism", p, errs);
        nonNegative(spec, "completions", p, errs);
        nonNegative(spec, "activeDeadlineSeconds", p, errs);
        nonNegative(spec, "backoffLimit", p, errs);
        nonNegative(spec, "ttlSecondsAfterFinished", p, errs);
        String mode = str(spec, "completionMode");
        if (!mode.isEmpty() && !List.of("Indexed", "NonIndexed").contains(mode)) {
            errs.notSupported(p + ".completionMode", mode, List.of("NonIndexed", "Indexed"));
        }
        if (mode.equals("Indexed") && get(spec, "completions") == null) {
            errs.required(p + ".completions", "when completion mode is Indexed");
        }
        JsonNode selector = obj(spec, "selector");
        JsonNode tpl = obj(spec, "template");
        if (template) {
            if (selector != null) {
                errs.invalid(p + ".selector", ObjectMetaRules.selectorLiteral(selector), "`selector` will be auto-generated");
            }
            JsonNode manual = get(spec, "manualSelector");
            if (manual != null && manual.asBoolean(false)) {
                errs.notSupported(p + ".manualSelector", true, List.of("nil", "false"));
            }
        } else if (selector != null) {
            ObjectMetaRules.validateSelector(selector, p + ".selector", errs);
            if (tpl != null && !ObjectMetaRules.matches(selector, Json.stringMap(obj(tpl, "metadata"), "labels"))) {
                errs.invalid(p + ".template.metadata.labels", Errs.goMapLiteral(Json.stringMap(obj(tpl, "metadata"), "labels")), MISMATCH);
            }
        }
        if (tpl == null) {
            errs.required(p + ".template", "");
            return;
        }
        PodRules.validateTemplate(tpl, p + ".template", errs);
        String restart = str(obj(tpl, "spec"), "restartPolicy");
        if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errs.notSupported(p + ".template.spec.restartPolicy", restart, List.of("OnFailure", "Never"));
        }
    }

    static void validateCronJob(JsonNode cj, Errs errs) {
        String name = str(obj(cj, "metadata"), "name");
        if (name.length() > 52) {
            errs.invalid("metadata.name", name, "must be no more than 52 characters");
        }
        JsonNode spec = obj(cj, "spec");
        String schedule = str(spec, "schedule");
        if (schedule.isEmpty()) {
            errs.required("spec.schedule", "");
        } else if (!schedule.startsWith("@") && schedule.trim().split("\\s+").length != 5) {
            errs.invalid("spec.schedule", schedule, "expected exactly 5 fields, found " + schedule.trim().split("\\s+").length + ": " + schedule);
        }
        String policy = str(spec, "concurrencyPolicy");
        if (policy.isEmpty()) {
            errs.required("spec.concurrencyPolicy", "");
        } else if (!List.of("Allow", "Forbid", "Replace").contains(policy)) {
            errs.notSupported("spec.concurrencyPolicy", policy, List.of("Allow", "Forbid", "Replace"));
        }
        nonNegative(spec, "startingDeadlineSeconds", "spec", errs);
        nonNegative(spec, "successfulJobsHistoryLimit", "spec", errs);
        nonNegative(spec, "failedJobsHistoryLimit", "spec", errs);
        JsonNode jobTemplate = obj(spec, "jobTemplate");
        JsonNode meta = obj(jobTemplate, "metadata");
        ObjectMetaRules.validateLabels(Json.stringMap(meta, "labels"), "spec.jobTemplate.metadata.labels", errs);
        ObjectMetaRules.validateAnnotations(Json.stringMap(meta, "annotations"), "spec.jobTemplate.metadata.annotations", errs);
        validateJobSpec(obj(jobTemplate, "spec"), "spec.jobTemplate.spec", true, errs);
    }
}
