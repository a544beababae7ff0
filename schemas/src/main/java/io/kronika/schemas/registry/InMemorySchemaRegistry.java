package io.kronika.schemas.registry;

import org.apache.avro.Schema;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A registry in memory, for unit tests with TopologyTestDriver; it checks no compatibility. */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private final List<Schema> byId = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        return ids.computeIfAbsent(schema.toString(), s -> {
            byId.add(schema);
            return byId.size();
        });
    }

    @Override
    public Schema schemaById(int id) {
        if (id < 1 || id > byId.size()) {
            throw new SchemaRegistryException(40403, "Schema " + id + " not found");
        }
        return byId.get(id - 1);
    }
}
