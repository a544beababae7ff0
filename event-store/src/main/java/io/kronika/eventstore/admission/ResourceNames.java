package io.kronika.eventstore.admission;

import java.util.Locale;
import java.util.regex.Pattern;

/** Object name rules and the resource names that Kubernetes messages use. */
final class ResourceNames {
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private ResourceNames() {
    }

    /**
     * Why {@code name} is not a valid name for an object of {@code group}, or null when it is. RBAC objects have
     * path-segment names (system:node), as in Kubernetes; every other kind a DNS subdomain.
     */
    static String nameProblem(String group, String name) {
        if (RBAC_GROUP.equals(group)) {
            return name.equals(".") || name.equals("..") ? "may not be '" + name + "'"
                    : name.contains("/") ? "may not contain '/'" : name.contains("%") ? "may not contain '%'" : null;
        }
        return nameProblem(name);
    }

    /** Why {@code name} is not a DNS subdomain, or null when it is. */
    static String nameProblem(String name) {
        if (name.length() > 253) {
            return "must be no more than 253 characters";
        }
        if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
            return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com')";
        }
        return null;
    }

    static String namespaceProblem(String namespace) {
        if (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches()) {
            return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character (e.g. 'my-name')";
        }
        return null;
    }

    /** The group-qualified plural resource, as in Kubernetes messages: {@code pods}, {@code deployments.apps}. */
    static String qualifiedResource(String group, String kind) {
        String plural = plural(kind.toLowerCase(Locale.ROOT));
        return group == null || group.isEmpty() ? plural : plural + "." + group;
    }

    static String plural(String singular) {
        if (singular.endsWith("s") || singular.endsWith("x") || singular.endsWith("ch") || singular.endsWith("sh")) {
            return singular + "es";
        }
        if (singular.endsWith("y") && singular.length() > 1 && "aeiou".indexOf(singular.charAt(singular.length() - 2)) < 0) {
            return singular.substring(0, singular.length() - 1) + "ies";
        }
        return singular + "s";
    }
}
