package io.kronika.schemas;

/**
 * The key of an object in the log: {@code group/kind/namespace/name}, with {@code core} for the core group and
 * an empty namespace for cluster-scoped kinds. Keys sort by kind, then namespace, so prefix scans list a kind.
 */
public final class ObjectKeys {
    public static final String CORE_GROUP = "core";

    private ObjectKeys() {
    }

    public static String of(ObjectRef ref) {
        return of(ref.getGroup(), ref.getKind(), ref.getNamespace(), ref.getName());
    }

    public static String of(String group, String kind, String namespace, String name) {
        return kindPrefix(group, kind) + (namespace == null ? "" : namespace) + "/" + (name == null ? "" : name);
    }

    /** Prefix of every key of one kind. */
    public static String kindPrefix(String group, String kind) {
        return (group == null || group.isEmpty() ? CORE_GROUP : group) + "/" + kind + "/";
    }

    /** Prefix of every key of one kind in one namespace. */
    public static String namespacePrefix(String group, String kind, String namespace) {
        return kindPrefix(group, kind) + namespace + "/";
    }

    public static ObjectRef parse(String key) {
        String[] parts = key.split("/", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not an object key (group/kind/namespace/name): " + key);
        }
        String group = CORE_GROUP.equals(parts[0]) ? "" : parts[0];
        return new ObjectRef(group, parts[1], parts[2], parts[3]);
    }

    public static ObjectRef ref(String group, String kind, String namespace, String name) {
        return new ObjectRef(group == null ? "" : group, kind, namespace == null ? "" : namespace, name == null ? "" : name);
    }
}
