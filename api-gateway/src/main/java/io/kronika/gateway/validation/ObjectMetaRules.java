package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.k8s.LabelSelectors;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static io.kronika.gateway.validation.Json.get;
import static io.kronika.gateway.validation.Json.list;
import static io.kronika.gateway.validation.Json.obj;
import static io.kronika.gateway.validation.Json.str;

/** ValidateObjectMeta and label-selector rules (apimachinery pkg/api/validation, meta/v1/validation). */
final class ObjectMetaRules {
    private ObjectMetaRules() {
    }

    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    /** The name rule of a kind: messages for a name (or, with {@code prefix}, a generateName). */
    interface NameRule extends Function<String, List<String>> {
    }

    static final NameRule DNS_SUBDOMAIN = Errs::dns1123Subdomain;
    static final NameRule DNS_LABEL = Errs::dns1123Label;
    static final NameRule DNS1035_LABEL = Errs::dns1035Label;
    /** ValidatePathSegmentName: what RBAC objects are named with (system:node). */
    static final NameRule PATH_SEGMENT = name -> name.equals(".") || name.equals("..") ? List.of("may not be '" + name + "'")
            : name.contains("/") ? List.of("may not contain '/'") : name.contains("%") ? List.of("may not contain '%'") : List.of();

    static void validate(JsonNode object, boolean namespaced, NameRule nameRule, Errs errs) {
        JsonNode meta = obj(object, "metadata");
        String generateName = str(meta, "generateName");
        if (!generateName.isEmpty()) {
            // a generateName may end in '-': it is checked with its trailing dash masked
            String masked = generateName.endsWith("-") ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
            errs.invalidAll("metadata.generateName", generateName, nameRule.apply(masked));
        }
        String name = str(meta, "name");
        if (name.isEmpty()) {
            errs.required("metadata.name", "name or generateName is required");
        } else {
            errs.invalidAll("metadata.name", name, nameRule.apply(name));
        }
        String namespace = str(meta, "namespace");
        if (namespaced) {
            if (namespace.isEmpty()) {
                errs.required("metadata.namespace", "");
            } else {
                errs.invalidAll("metadata.namespace", namespace, Errs.dns1123Label(namespace));
            }
        } else if (!namespace.isEmpty()) {
            errs.forbidden("metadata.namespace", "not allowed on this type");
        }
        JsonNode generation = get(meta, "generation");
        if (generation != null && generation.isNumber() && generation.asLong() < 0) {
            errs.invalid("metadata.generation", generation.asLong(), "must be greater than or equal to 0");
        }
        validateLabels(Json.stringMap(meta, "labels"), "metadata.labels", errs);
        validateAnnotations(Json.stringMap(meta, "annotations"), "metadata.annotations", errs);
        validateOwnerReferences(list(meta, "ownerReferences"), "metadata.ownerReferences", errs);
        List<JsonNode> finalizers = list(meta, "finalizers");
        for (JsonNode f : finalizers) {
            String v = f.asText();
            errs.invalidAll("metadata.finalizers", v, Errs.qualifiedName(v));
        }
    }

    static void validateLabels(Map<String, String> labels, String path, Errs errs) {
        for (Map.Entry<String, String> e : labels.entrySet()) {
            errs.invalidAll(path, e.getKey(), Errs.qualifiedName(e.getKey()));
            errs.invalidAll(path, e.getValue(), Errs.labelValue(e.getValue()));
        }
    }

    static void validateAnnotations(Map<String, String> annotations, String path, Errs errs) {
        long total = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            errs.invalidAll(path, e.getKey(), Errs.qualifiedName(e.getKey().toLowerCase(Locale.ROOT)));
            total += Errs.byteLength(e.getKey()) + Errs.byteLength(e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errs.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT);
        }
    }

    static void validateOwnerReferences(List<JsonNode> refs, String path, Errs errs) {
        String firstController = "";
        for (JsonNode ref : refs) {
            String apiVersion = str(ref, "apiVersion");
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            if (version.isEmpty()) {
                errs.invalid(path + ".apiVersion", apiVersion, "version must not be empty");
            }
            if (str(ref, "kind").isEmpty()) {
                errs.invalid(path + ".kind", "", "kind must not be empty");
            }
            if (str(ref, "name").isEmpty()) {
                errs.invalid(path + ".name", "", "name must not be empty");
            }
            if (str(ref, "uid").isEmpty()) {
                errs.invalid(path + ".uid", "", "uid must not be empty");
            }
            if (version.equals("v1") && !apiVersion.contains("/") && str(ref, "kind").equals("Event")) {
                errs.invalid(path, new Errs.Raw(GoFormat.value(ref)), "/v1, Kind=Event is disallowed from being an owner");
            }
            JsonNode controller = get(ref, "controller");
            if (controller != null && controller.asBoolean(false)) {
                String current = str(ref, "kind") + "/" + str(ref, "name");
                if (!firstController.isEmpty()) {
                    errs.invalid(path, new Errs.Raw(GoFormat.value(Json.F.arrayNode().addAll(refs))),
                            "Only one reference can have Controller set to true. Found \"true\" in references for " + firstController + " and " + current);
                } else {
                    firstController = current;
                }
            }
        }
    }

    // ------------------------------------------------------------------ label selectors

    static final List<String> SELECTOR_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    /** ValidateLabelSelector: match labels and well-formed expressions. */
    static void validateSelector(JsonNode selector, String path, Errs errs) {
        if (selector == null) {
            return;
        }
        validateLabels(Json.stringMap(selector, "matchLabels"), path + ".matchLabels", errs);
        List<JsonNode> exprs = list(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            String p = path + ".matchExpressions[" + i + "]";
            JsonNode e = exprs.get(i);
            String op = str(e, "operator");
            int values = list(e, "values").size();
            switch (op) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errs.required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errs.forbidden(p + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                    }
                }
                default -> errs.invalid(p + ".operator", op, "not a valid selector operator");
            }
            String key = str(e, "key");
            errs.invalidAll(p + ".key", key, Errs.qualifiedName(key));
        }
    }

    static boolean selectorEmpty(JsonNode selector) {
        return Json.stringMap(selector, "matchLabels").isEmpty() && list(selector, "matchExpressions").isEmpty();
    }

    /** Whether a label set matches a LabelSelector (an empty selector matches everything). */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        return LabelSelectors.matches(selector, labels);
    }

    /** Go's %#v of a *metav1.LabelSelector, roughly as Kubernetes prints it in messages. */
    static Errs.Raw selectorLiteral(JsonNode selector) {
        Map<String, String> ml = Json.stringMap(selector, "matchLabels");
        String labels = ml.isEmpty() ? "map[string]string(nil)" : Errs.goMapLiteral(ml).text();
        List<JsonNode> exprs = list(selector, "matchExpressions");
        String ex = exprs.isEmpty() ? "[]v1.LabelSelectorRequirement(nil)" : "[]v1.LabelSelectorRequirement" + GoFormat.value(Json.F.arrayNode().addAll(exprs));
        return new Errs.Raw("&v1.LabelSelector{MatchLabels:" + labels + ", MatchExpressions:" + ex + "}");
    }
}
