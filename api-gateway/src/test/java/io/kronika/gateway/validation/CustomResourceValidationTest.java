package io.kronika.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.api.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kronika.gateway.validation.ObjectValidationTest.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CustomResourceValidationTest {
    static final JsonNode SCHEMA = obj("{'type':'object','properties':{"
            + "'spec':{'type':'object','required':['image'],'properties':{"
            + "  'replicas':{'type':'integer','format':'int32','minimum':0,'maximum':10,'default':1},"
            + "  'image':{'type':'string','minLength':3,'maxLength':20,'pattern':'^[a-z]+(:[a-z0-9.]+)?$'},"
            + "  'mode':{'type':'string','enum':['fast','safe'],'default':'safe'},"
            + "  'ratio':{'type':'number','exclusiveMaximum':true,'maximum':1},"
            + "  'port':{'x-kubernetes-int-or-string':true},"
            + "  'tags':{'type':'array','items':{'type':'string'},'maxItems':2,'minItems':1},"
            + "  'labels':{'type':'object','additionalProperties':{'type':'string'}},"
            + "  'when':{'type':'string','format':'date-time'},"
            + "  'note':{'type':'string','nullable':true},"
            + "  'config':{'type':'object','x-kubernetes-preserve-unknown-fields':true,'properties':{'level':{'type':'integer'}}},"
            + "  'nested':{'type':'object','default':{},'properties':{'depth':{'type':'integer','default':3}}}"
            + "}},"
            + "'status':{'type':'object','properties':{'ready':{'type':'boolean'}}}}}");

    static ObjectNode widget(String spec) {
        return obj("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w1','namespace':'default'},'spec':" + spec + "}");
    }

    static ApiException fails(ObjectNode o) {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> CustomResourceValidation.defaultAndValidate(SCHEMA, o, "example.com", "Widget"));
        assertThat(e).as("expected 422").isNotNull();
        assertThat(e.code()).isEqualTo(422);
        return e;
    }

    static List<String> described(ApiException e) {
        return e.causes().stream().map(FieldError::describe).toList();
    }

    @Test
    void defaultsArePrunedFieldsAreDropped() {
        ObjectNode w = widget("{'image':'nginx','unknown':1,'config':{'anything':{'x':1},'level':2},'labels':{'a':'b'}}");
        w.put("extra", true);
        ((ObjectNode) w.get("metadata")).put("bogus", 1);
        CustomResourceValidation.defaultAndValidate(SCHEMA, w, "example.com", "Widget");
        assertThat(w.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(w.at("/spec/mode").asText()).isEqualTo("safe");
        assertThat(w.at("/spec/nested")).isEqualTo(obj("{'depth':3}"));
        assertThat(w.at("/spec").has("unknown")).isFalse();
        assertThat(w.has("extra")).isFalse();
        assertThat(w.at("/metadata").has("bogus")).isFalse();
        assertThat(w.at("/spec/config")).isEqualTo(obj("{'anything':{'x':1},'level':2}"));
        assertThat(w.get("apiVersion").asText()).isEqualTo("example.com/v1");
    }

    @Test
    void typeErrorsUseKubernetesWording() {
        ApiException e = fails(widget("{'image':'nginx','replicas':'three'}"));
        assertThat(described(e)).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(e.getMessage()).isEqualTo("Widget.example.com \"w1\" is invalid: "
                + "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        assertThat(e.causes().get(0).type()).isEqualTo("FieldValueTypeInvalid");
    }

    @Test
    void everyConstraint() {
        ObjectNode w = widget("{'replicas':11,'image':'NG','mode':'slow','ratio':1,'port':true,'tags':['a','b','c'],"
                + "'labels':{'a':1},'when':'yesterday','status':'x'}");
        List<String> errors = described(fails(w));
        assertThat(errors).contains(
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
                "spec.image: Invalid value: \"NG\": spec.image in body should be at least 3 chars long",
                "spec.image: Invalid value: \"NG\": spec.image in body should match '^[a-z]+(:[a-z0-9.]+)?$'",
                "spec.mode: Unsupported value: \"slow\": supported values: \"fast\", \"safe\"",
                "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1",
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"",
                "spec.tags: Too many: 3: must have at most 2 items",
                "spec.labels.a: Invalid value: \"integer\": spec.labels.a in body must be of type string: \"integer\"",
                "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type date-time: \"yesterday\"");
        assertThat(errors).hasSize(9);
    }

    @Test
    void requiredMinItemsTooLongAndNulls() {
        ObjectNode w = widget("{'tags':[],'note':null,'replicas':null}");
        List<String> errors = described(fails(w));
        assertThat(errors).containsExactly(
                "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items",
                "spec.image: Required value");
        assertThat(w.at("/spec/replicas").asInt()).as("null replaced by default").isEqualTo(1);
        assertThat(w.at("/spec/note").isNull()).as("nullable null kept").isTrue();
        ObjectNode longImage = widget("{'image':'" + "a".repeat(21) + "','tags':[null]}");
        assertThat(described(fails(longImage))).containsExactly(
                "spec.image: Too long: may not be more than 20 bytes",
                "spec.tags[0]: Invalid value: \"null\": spec.tags[0] in body must be of type string: \"null\"");
    }

    @Test
    void intOrStringAcceptsBoth() {
        assertThatCode(() -> CustomResourceValidation.defaultAndValidate(SCHEMA, widget("{'image':'nginx','port':8080}"), "example.com", "Widget"))
                .doesNotThrowAnyException();
        assertThatCode(() -> CustomResourceValidation.defaultAndValidate(SCHEMA, widget("{'image':'nginx','port':'http','replicas':2.0}"), "example.com", "Widget"))
                .doesNotThrowAnyException();
    }

    @Test
    void metadataIsValidatedAsObjectMeta() {
        ObjectNode w = widget("{'image':'nginx'}");
        ((ObjectNode) w.get("metadata")).put("name", "Bad_Name");
        assertThat(described(fails(w))).singleElement().satisfies(s -> assertThat(s).startsWith("metadata.name: Invalid value: \"Bad_Name\""));
    }

    @Test
    void noSchemaKeepsEverything() {
        ObjectNode w = widget("{'anything':[1,2]}");
        CustomResourceValidation.defaultAndValidate(null, w, "example.com", "Widget");
        assertThat(w.at("/spec/anything")).hasSize(2);
    }

    @Test
    void compositionKeywords() {
        JsonNode schema = obj("{'type':'object','properties':{'spec':{'type':'object','properties':{"
                + "'a':{'type':'string','not':{'enum':['forbidden']}},'b':{'type':'integer','multipleOf':5}}}}}");
        ObjectNode w = widget("{'a':'forbidden','b':7}");
        ApiException e = catchThrowableOfType(ApiException.class, () -> CustomResourceValidation.defaultAndValidate(schema, w, "example.com", "Widget"));
        assertThat(described(e)).containsExactly(
                "<nil>: Invalid value: \"\": spec.a must not validate the schema (not)",
                "spec.b: Invalid value: 7: spec.b in body should be a multiple of 5");
    }
}
