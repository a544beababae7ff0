package io.kronika.gateway.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.Json;
import io.kronika.gateway.catalog.ResourceType;
import io.kronika.projections.StoredObject;
import io.kronika.schemas.ObjectEvent;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.ObjectRef;

import java.util.function.Predicate;

/** What a list or watch selects: one resource, in one namespace or all, narrowed by label and field selectors. */
public record Selection(ResourceType type, String namespace, LabelSelector labels, FieldSelector fields) {

    /** The namespace the selection is confined to, from the path or from a metadata.namespace field selector. */
    public String effectiveNamespace() {
        if (!type.namespaced()) {
            return null;
        }
        return namespace != null ? namespace : fields.required("metadata.namespace");
    }

    public String keyPrefix() {
        return type.keyPrefix(effectiveNamespace());
    }

    /** Whether the object's body must be read (label selector or a field beyond name and namespace). */
    public boolean needsBody() {
        return !labels.isEmpty() || !fields.metadataOnly();
    }

    public boolean matches(ObjectRef ref, JsonNode object) {
        if (!fields.matches(ref.getNamespace(), ref.getName(), object)) {
            return false;
        }
        return labels.isEmpty() || labels.matches(object == null ? null : object.path("metadata").get("labels"));
    }

    public boolean matches(ObjectRef ref, String json) {
        return matches(ref, needsBody() ? Json.object(json) : null);
    }

    public Predicate<StoredObject> storedFilter() {
        if (labels.isEmpty() && fields.isEmpty()) {
            return o -> true;
        }
        return o -> matches(o.ref(), o.json());
    }

    /** Whether an event concerns this resource and namespace (and name, when the fields pin one); selectors aside. */
    public boolean inScope(ObjectEvent event) {
        ObjectRef ref = event.getRef();
        if (!ref.getKind().equals(type.kind()) || !ref.getGroup().equals(type.group())) {
            return false;
        }
        String ns = effectiveNamespace();
        if (ns != null && !ns.equals(ref.getNamespace())) {
            return false;
        }
        String name = fields.required("metadata.name");
        return name == null || name.equals(ref.getName());
    }

    /** The key prefix a whole kind lives under (for the feed's key-based filter). */
    public String kindPrefix() {
        return ObjectKeys.kindPrefix(type.group(), type.kind());
    }
}
