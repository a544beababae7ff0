package io.kronika.launcher.bench;

/** The object every write stores: a ConfigMap of about 300 bytes of JSON whose data changes with each write. */
final class ConfigMapBodies {
    static final String NAMESPACE = "default";
    private static final String PAYLOAD = "x".repeat(120);

    private ConfigMapBodies() {
    }

    static String json(String name, long sequence) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + NAMESPACE + "\",\"labels\":{\"app.kubernetes.io/name\":\"kronika-bench\"}},\"data\":{\"sequence\":\""
                + sequence + "\",\"payload\":\"" + PAYLOAD + "\"}}";
    }
}
