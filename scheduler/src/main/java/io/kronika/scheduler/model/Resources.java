package io.kronika.scheduler.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.schemas.k8s.Quantity;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mutable set of resource amounts in the units the scheduler compares: cpu in millicores, memory and
 * ephemeral-storage in bytes, pods as a count, every other (extended, hugepages-*) resource in whole units.
 */
public final class Resources {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    public long milliCpu;
    public long memory;
    public long ephemeralStorage;
    public long pods;
    /** Extended and hugepages resources; null until one is set. */
    private Map<String, Long> scalar;

    public Resources() {
    }

    public Resources(long milliCpu, long memory) {
        this.milliCpu = milliCpu;
        this.memory = memory;
    }

    /** A resource list ({@code {"cpu":"500m","memory":"1Gi"}}); absent or null gives zeros. */
    public static Resources parse(JsonNode list) {
        Resources r = new Resources();
        if (list == null || !list.isObject()) {
            return r;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) {
                continue;
            }
            String text = v.isNumber() ? v.numberValue().toString() : v.asText();
            String name = e.getKey();
            if (CPU.equals(name)) {
                r.milliCpu = Quantity.parse(text.strip()).milliValue();
            } else {
                r.set(name, Quantity.parse(text.strip()).value());
            }
        }
        return r;
    }

    public static boolean isScalar(String name) {
        return !CPU.equals(name) && !MEMORY.equals(name) && !EPHEMERAL_STORAGE.equals(name) && !PODS.equals(name);
    }

    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> pods;
            default -> scalar == null ? 0 : scalar.getOrDefault(name, 0L);
        };
    }

    public void set(String name, long value) {
        switch (name) {
            case CPU -> milliCpu = value;
            case MEMORY -> memory = value;
            case EPHEMERAL_STORAGE -> ephemeralStorage = value;
            case PODS -> pods = value;
            default -> {
                if (scalar == null) {
                    scalar = new TreeMap<>();
                }
                scalar.put(name, value);
            }
        }
    }

    public Map<String, Long> scalar() {
        return scalar == null ? Map.of() : scalar;
    }

    public void add(Resources other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        pods += other.pods;
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> set(k, get(k) + v));
        }
    }

    public void subtract(Resources other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        pods -= other.pods;
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> set(k, get(k) - v));
        }
    }

    /** Each amount becomes the larger of this and {@code other}. */
    public void setMax(Resources other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        pods = Math.max(pods, other.pods);
        if (other.scalar != null) {
            other.scalar.forEach((k, v) -> set(k, Math.max(get(k), v)));
        }
    }

    public boolean isZero() {
        return milliCpu == 0 && memory == 0 && ephemeralStorage == 0 && pods == 0
                && (scalar == null || scalar.values().stream().allMatch(v -> v == 0));
    }

    public Resources copy() {
        Resources r = new Resources();
        r.add(this);
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources r && r.milliCpu == milliCpu && r.memory == memory
                && r.ephemeralStorage == ephemeralStorage && r.pods == pods && r.scalar().equals(scalar());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(milliCpu * 31 + memory) ^ scalar().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{cpu=").append(milliCpu).append("m, memory=").append(memory);
        if (ephemeralStorage != 0) {
            sb.append(", ephemeral-storage=").append(ephemeralStorage);
        }
        if (pods != 0) {
            sb.append(", pods=").append(pods);
        }
        scalar().forEach((k, v) -> sb.append(", ").append(k).append('=').append(v));
        return sb.append('}').toString();
    }
}
