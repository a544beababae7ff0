package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonPatchTest {
    static final ObjectMapper M = new ObjectMapper();

    static ObjectNode obj(String json) {
        try {
            return (ObjectNode) M.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonNode json(String json) {
        try {
            return M.readTree(json.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final ObjectNode POD = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web'},"
            + "'annotations':{'a/b':'1','c~d':'2'}},'spec':{'containers':[{'name':'a','image':'nginx'},{'name':'b','image':'redis'}]}}");

    static ObjectNode patch(String patch) {
        return PatchApplier.apply(PatchType.JSON, POD, json(patch), "", "Pod");
    }

    static ApiException failure(String patch) {
        return catchThrowableOfType(ApiException.class, () -> patch(patch));
    }

    @Test
    void addReplaceRemove() {
        ObjectNode out = patch("[{'op':'add','path':'/metadata/labels/tier','value':'fe'},"
                + "{'op':'replace','path':'/spec/containers/0/image','value':'nginx:1.27'},"
                + "{'op':'remove','path':'/metadata/labels/app'}]");
        assertThat(out.at("/metadata/labels")).isEqualTo(json("{'tier':'fe'}"));
        assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("nginx:1.27");
        assertThat(POD.at("/metadata/labels/app").asText()).as("original untouched").isEqualTo("web");
    }

    @Test
    void pointerEscapes() {
        ObjectNode out = patch("[{'op':'replace','path':'/metadata/annotations/a~1b','value':'x'},"
                + "{'op':'remove','path':'/metadata/annotations/c~0d'}]");
        assertThat(out.at("/metadata/annotations")).isEqualTo(json("{'a/b':'x'}"));
    }

    @Test
    void dashAppendsAndIndexInserts() {
        ObjectNode out = patch("[{'op':'add','path':'/spec/containers/-','value':{'name':'c'}},"
                + "{'op':'add','path':'/spec/containers/0','value':{'name':'z'}}]");
        assertThat(out.at("/spec/containers").findValuesAsText("name")).containsExactly("z", "a", "b", "c");
    }

    @Test
    void negativeIndicesCountFromTheEndAsInKubernetes() {
        ObjectNode out = patch("[{'op':'remove','path':'/spec/containers/-1'}]");
        assertThat(out.at("/spec/containers").findValuesAsText("name")).containsExactly("a");
    }

    @Test
    void moveAndCopy() {
        ObjectNode out = patch("[{'op':'copy','from':'/metadata/labels','path':'/spec/nodeSelector'},"
                + "{'op':'move','from':'/metadata/annotations/a~1b','path':'/metadata/labels/moved'}]");
        assertThat(out.at("/spec/nodeSelector")).isEqualTo(json("{'app':'web'}"));
        assertThat(out.at("/metadata/labels/moved").asText()).isEqualTo("1");
        assertThat(out.at("/metadata/annotations").has("a/b")).isFalse();
    }

    @Test
    void testOperation() {
        ObjectNode out = patch("[{'op':'test','path':'/spec/containers/1','value':{'image':'redis','name':'b'}},"
                + "{'op':'test','path':'/metadata/missing','value':null}]");
        assertThat(out).isEqualTo(POD);
    }

    @Test
    void failingTestIs422WithKubernetesMessage() {
        ApiException e = failure("[{'op':'test','path':'/metadata/name','value':'q'}]");
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.reason()).isEqualTo("Invalid");
        assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
        assertThat(e.getCause()).hasMessageContaining("testing value /metadata/name failed");
    }

    @Test
    void integerAndDecimalAreDifferentValues() {
        ObjectNode doc = obj("{'spec':{'replicas':1}}");
        assertThat(catchThrowableOfType(ApiException.class, () -> PatchApplier.apply(PatchType.JSON, doc,
                json("[{'op':'test','path':'/spec/replicas','value':1.0}]"), "apps", "Deployment")).code()).isEqualTo(422);
    }

    @Test
    void badPathsAre422() {
        assertThat(failure("[{'op':'add','path':'/spec/missing/x','value':1}]").code()).isEqualTo(422);
        assertThat(failure("[{'op':'remove','path':'/metadata/nope'}]").getCause())
                .hasMessageContaining("Unable to remove nonexistent key: nope");
        assertThat(failure("[{'op':'replace','path':'/spec/containers/5','value':{}}]").code()).isEqualTo(422);
        assertThat(failure("[{'op':'add','path':'/spec/containers/7','value':{}}]").code()).isEqualTo(422);
        assertThat(failure("[{'op':'add','path':'','value':{}}]").code()).isEqualTo(422);
        assertThat(failure("[{'op':'jump','path':'/a'}]").getCause()).hasMessage("Unexpected kind: jump");
        assertThat(failure("[{'op':'add','value':1}]").code()).isEqualTo(422);
        assertThat(failure("[{'op':'move','from':'/metadata/zzz','path':'/a'}]").code()).isEqualTo(422);
    }

    @Test
    void replaceOfMissingMemberSetsItLikeKubernetes() {
        ObjectNode out = patch("[{'op':'replace','path':'/metadata/namespace','value':'ns'}]");
        assertThat(out.at("/metadata/namespace").asText()).isEqualTo("ns");
    }

    @Test
    void undecodablePatchIs400() {
        ApiException e = failure("{'op':'add'}");
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo("BadRequest");
        assertThat(e.getMessage()).isEqualTo("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        assertThat(failure("[1]").code()).isEqualTo(400);
    }

    @Test
    void tooManyOperationsIs413() {
        ArrayNode ops = M.createArrayNode();
        for (int i = 0; i <= 10000; i++) {
            ops.add(json("{'op':'test','path':'/kind','value':'Pod'}"));
        }
        ApiException e = catchThrowableOfType(ApiException.class, () -> PatchApplier.apply(PatchType.JSON, POD, ops, "", "Pod"));
        assertThat(e.code()).isEqualTo(413);
        assertThat(e.getMessage()).contains("The allowed maximum operations in a JSON patch is 10000, got 10001");
    }

    @Test
    void rootReplacedByArrayIs422OnPatch() {
        ApiException e = failure("[{'op':'replace','path':'','value':[1]}]");
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.causes()).singleElement().satisfies(c -> assertThat(c.field()).isEqualTo("patch"));
        assertThat(e.getMessage()).startsWith(" \"\" is invalid: patch: Invalid value: \"[1]\": couldn't get version/kind");
    }

    @Test
    void nullPatchChangesNothing() {
        assertThat(PatchApplier.apply(PatchType.JSON, POD, null, "", "Pod")).isEqualTo(POD);
    }
}
