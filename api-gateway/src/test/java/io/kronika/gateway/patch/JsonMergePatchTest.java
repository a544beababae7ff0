package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import org.junit.jupiter.api.Test;

import static io.kronika.gateway.patch.JsonPatchTest.json;
import static io.kronika.gateway.patch.JsonPatchTest.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonMergePatchTest {
    static final ObjectNode DEPLOY = obj("{'metadata':{'name':'d','labels':{'a':'1','b':'2'}},'spec':{'replicas':3,"
            + "'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}");

    static ObjectNode merge(String patch) {
        return PatchApplier.apply(PatchType.MERGE, DEPLOY, json(patch), "apps", "Deployment");
    }

    @Test
    void rfc7386() {
        ObjectNode out = merge("{'metadata':{'labels':{'a':null,'c':'3'}},'spec':{'replicas':5}}");
        assertThat(out.at("/metadata/labels")).isEqualTo(json("{'b':'2','c':'3'}"));
        assertThat(out.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(DEPLOY.at("/spec/replicas").asInt()).isEqualTo(3);
    }

    @Test
    void listsAreReplacedWholeWithNullsInsideObjectsPrunedAsKubernetesDoes() {
        ObjectNode out = merge("{'spec':{'template':{'spec':{'containers':[{'name':'c','image':'z','x':null}]}}}}");
        assertThat(out.at("/spec/template/spec/containers")).isEqualTo(json("[{'name':'c','image':'z'}]"));
    }

    @Test
    void nullsInsideNewObjectsArePruned() {
        ObjectNode out = merge("{'spec':{'strategy':{'type':'Recreate','rollingUpdate':null}}}");
        assertThat(out.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
    }

    @Test
    void scalarReplacedByObjectAndBack() {
        ObjectNode out = merge("{'spec':{'replicas':{'x':1,'y':null}},'metadata':{'labels':'flat'}}");
        assertThat(out.at("/spec/replicas")).isEqualTo(json("{'x':1}"));
        assertThat(out.at("/metadata/labels").asText()).isEqualTo("flat");
    }

    @Test
    void deleteEverything() {
        assertThat(merge("{'spec':null,'metadata':null}")).isEqualTo(json("{}"));
    }

    @Test
    void nullOrScalarPatchIs400() {
        for (String p : new String[]{"null", "3", "'x'", "true"}) {
            ApiException e = catchThrowableOfType(ApiException.class, () -> merge(p));
            assertThat(e.code()).as(p).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("Invalid JSON Patch");
        }
    }

    @Test
    void arrayPatchIs422() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> merge("[{'a':1}]"));
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.causes().get(0).field()).isEqualTo("patch");
    }
}
