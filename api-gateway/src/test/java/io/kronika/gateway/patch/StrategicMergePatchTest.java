package io.kronika.gateway.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.ApiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.kronika.gateway.patch.JsonPatchTest.json;
import static io.kronika.gateway.patch.JsonPatchTest.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class StrategicMergePatchTest {
    static final ObjectNode POD = obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web','tier':'fe'},"
            + "'finalizers':['a','b'],'ownerReferences':[{'uid':'u1','kind':'ReplicaSet','name':'rs'}]},"
            + "'spec':{'containers':[{'name':'app','image':'nginx','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],"
            + "'ports':[{'containerPort':80,'protocol':'TCP'}],'volumeMounts':[{'name':'v','mountPath':'/data'}]},"
            + "{'name':'side','image':'envoy'}],"
            + "'volumes':[{'name':'v','emptyDir':{}}],"
            + "'tolerations':[{'key':'k1','operator':'Exists'}],'imagePullSecrets':[{'name':'s1'}]},"
            + "'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}");

    static ObjectNode smp(ObjectNode original, String patch, String group, String kind) {
        return PatchApplier.apply(PatchType.STRATEGIC_MERGE, original, json(patch), group, kind);
    }

    static ObjectNode pod(String patch) {
        return smp(POD, patch, "", "Pod");
    }

    static List<String> names(JsonNode list, String key) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.get(key).asText()));
        return out;
    }

    @Test
    void containersMergeByName() {
        ObjectNode out = pod("{'spec':{'containers':[{'name':'app','image':'nginx:1.27'}]}}");
        JsonNode containers = out.at("/spec/containers");
        assertThat(names(containers, "name")).containsExactly("app", "side");
        assertThat(containers.get(0).get("image").asText()).isEqualTo("nginx:1.27");
        assertThat(containers.get(0).get("env")).hasSize(2);
        assertThat(POD.at("/spec/containers/0/image").asText()).as("original untouched").isEqualTo("nginx");
    }

    @Test
    void newItemsComeBeforeServerOnlyItemsAsUpstream() {
        ObjectNode out = pod("{'spec':{'containers':[{'name':'new','image':'busybox'}]}}");
        assertThat(names(out.at("/spec/containers"), "name")).containsExactly("new", "app", "side");
    }

    @Test
    void nestedListsMergeByTheirKeys() {
        ObjectNode out = pod("{'spec':{'containers':[{'name':'app','env':[{'name':'B','value':'20'},{'name':'C','value':'3'}],"
                + "'ports':[{'containerPort':443}],'volumeMounts':[{'mountPath':'/data','readOnly':true}]}]}}");
        JsonNode app = out.at("/spec/containers/0");
        assertThat(app.get("env")).isEqualTo(json("[{'name':'A','value':'1'},{'name':'B','value':'20'},{'name':'C','value':'3'}]"));
        assertThat(names(app.get("ports"), "containerPort")).containsExactly("443", "80");
        assertThat(app.get("volumeMounts")).isEqualTo(json("[{'name':'v','mountPath':'/data','readOnly':true}]"));
    }

    @Test
    void listsWithoutStrategyAreReplaced() {
        ObjectNode out = pod("{'spec':{'tolerations':[{'key':'k2','operator':'Exists'}],'containers':[{'name':'app','command':['sh']}]}}");
        assertThat(out.at("/spec/tolerations")).isEqualTo(json("[{'key':'k2','operator':'Exists'}]"));
        assertThat(out.at("/spec/containers/0/command")).isEqualTo(json("['sh']"));
    }

    @Test
    void primitiveMergeListsAreSets() {
        ObjectNode out = pod("{'metadata':{'finalizers':['b','c']}}");
        assertThat(out.at("/metadata/finalizers")).isEqualTo(json("['a','b','c']"));
    }

    @Test
    void deleteFromPrimitiveList() {
        ObjectNode out = pod("{'metadata':{'$deleteFromPrimitiveList/finalizers':['a','zz']}}");
        assertThat(out.at("/metadata/finalizers")).isEqualTo(json("['b']"));
        ObjectNode none = pod("{'metadata':{'$deleteFromPrimitiveList/missing':['a']}}");
        assertThat(none.at("/metadata").has("missing")).isFalse();
    }

    @Test
    void badDirectiveKeyIs400() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> pod("{'metadata':{'$deleteFromPrimitiveList':['a']}}"));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("invalid patch format of primitive list");
    }

    @Test
    void ownerReferencesByUidConditionsByTypeSecretsByName() {
        ObjectNode out = pod("{'metadata':{'ownerReferences':[{'uid':'u1','controller':true}]},"
                + "'status':{'conditions':[{'type':'Ready','status':'True'}]},'spec':{'imagePullSecrets':[{'name':'s2'}]}}");
        assertThat(out.at("/metadata/ownerReferences")).isEqualTo(json("[{'uid':'u1','kind':'ReplicaSet','name':'rs','controller':true}]"));
        assertThat(out.at("/status/conditions")).isEqualTo(json("[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]"));
        assertThat(names(out.at("/spec/imagePullSecrets"), "name")).containsExactly("s2", "s1");
    }

    @Test
    void mapsMergeAndNullDeletes() {
        ObjectNode out = pod("{'metadata':{'labels':{'app':null,'new':'x'}}}");
        assertThat(out.at("/metadata/labels")).isEqualTo(json("{'tier':'fe','new':'x'}"));
    }

    @Test
    void patchDeleteAndReplaceInLists() {
        ObjectNode out = pod("{'spec':{'containers':[{'name':'side','$patch':'delete'}],'volumes':[{'$patch':'replace'},{'name':'w','secret':{'secretName':'s'}}]}}");
        assertThat(names(out.at("/spec/containers"), "name")).containsExactly("app");
        assertThat(out.at("/spec/volumes")).isEqualTo(json("[{'name':'w','secret':{'secretName':'s'}}]"));
    }

    @Test
    void patchReplaceAndDeleteOnMaps() {
        ObjectNode out = pod("{'metadata':{'labels':{'$patch':'replace','only':'one'}},'status':{'$patch':'delete'}}");
        assertThat(out.at("/metadata/labels")).isEqualTo(json("{'only':'one'}"));
        assertThat(out.get("status")).isEqualTo(json("{}"));
    }

    @Test
    void patchMergeInListIsRefusedAsUpstreamButAsABadRequest() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> pod("{'spec':{'containers':[{'$patch':'merge','name':'x'}]}}"));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("merging lists cannot yet be specified in the patch");
    }

    @Test
    void retainKeysClearsOtherFields() {
        ObjectNode deploy = obj("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}}}}");
        ObjectNode out = smp(deploy, "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}", "apps", "Deployment");
        assertThat(out.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> smp(deploy, "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{}}}}", "apps", "Deployment"));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("invalid patch format of retainKeys");
    }

    @Test
    void volumesRetainKeys() {
        ObjectNode out = pod("{'spec':{'volumes':[{'name':'v','$retainKeys':['name','configMap'],'configMap':{'name':'cm'}}]}}");
        assertThat(out.at("/spec/volumes")).isEqualTo(json("[{'name':'v','configMap':{'name':'cm'}}]"));
    }

    @Test
    void setElementOrder() {
        ObjectNode out = pod("{'spec':{'$setElementOrder/containers':[{'name':'side'},{'name':'app'}],"
                + "'containers':[{'name':'side','image':'envoy:2'}]}}");
        assertThat(names(out.at("/spec/containers"), "name")).containsExactly("side", "app");
        assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("envoy:2");
    }

    /** Upstream case "set elements order in a list with server-only items", on env vars. */
    @Test
    void setElementOrderKeepsServerOnlyItems() {
        ObjectNode pod = obj("{'spec':{'containers':[{'name':'c','env':[{'name':'1','value':'a'},{'name':'3','value':'3'},"
                + "{'name':'4','value':'4'},{'name':'2','value':'2'},{'name':'9'}]}]}}");
        ObjectNode out = smp(pod, "{'spec':{'containers':[{'name':'c','$setElementOrder/env':[{'name':'4'},{'name':'2'},{'name':'3'},{'name':'1'}]}]}}", "", "Pod");
        assertThat(names(out.at("/spec/containers/0/env"), "name")).containsExactly("4", "2", "3", "1", "9");
    }

    /** Upstream case "merge lists of scalars" (with a server-only item). */
    @Test
    void setElementOrderOnScalars() {
        ObjectNode pod = obj("{'metadata':{'finalizers':['1','2','4']}}");
        ObjectNode out = smp(pod, "{'metadata':{'$setElementOrder/finalizers':['1','2','3'],'finalizers':['3']}}", "", "Pod");
        assertThat(out.at("/metadata/finalizers")).isEqualTo(json("['1','2','3','4']"));
    }

    @Test
    void servicePortsMergeByPort() {
        ObjectNode svc = obj("{'spec':{'ports':[{'port':80,'targetPort':8080},{'port':443}],'selector':{'app':'a'}}}");
        ObjectNode out = smp(svc, "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}", "", "Service");
        assertThat(out.at("/spec/ports")).isEqualTo(json("[{'port':80,'targetPort':9090},{'port':443}]"));
    }

    @Test
    void podTemplatesInsideWorkloadsUseTheSameRules() {
        ObjectNode deploy = obj("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}");
        ObjectNode out = smp(deploy, "{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'z'}]}}}}", "apps", "Deployment");
        assertThat(out.at("/spec/template/spec/containers")).isEqualTo(json("[{'name':'a','image':'x'},{'name':'b','image':'z'}]"));
        ObjectNode cron = obj("{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'}]}}}}}}");
        ObjectNode out2 = smp(cron, "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'z'}]}}}}}}", "batch", "CronJob");
        assertThat(names(out2.at("/spec/jobTemplate/spec/template/spec/containers"), "name")).containsExactly("b", "a");
    }

    @Test
    void missingMergeKeyIsKubeApiserversMessageAsABadRequest() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> pod("{'spec':{'containers':[{'image':'foo'}]}}"));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("map: map[image:foo] does not contain declared merge key: name");
    }

    @Test
    void unknownFieldWithStructuredValueIsALookupError() {
        ObjectNode odd = obj("{'spec':{'bogus':{'a':1}}}");
        ApiException e = catchThrowableOfType(ApiException.class, () -> smp(odd, "{'spec':{'bogus':{'a':2}}}", "", "Pod"));
        assertThat(e.getMessage()).isEqualTo("unable to find api field in struct PodSpec for the json field \"bogus\"");
        ObjectNode scalars = smp(odd, "{'spec':{'bogus':3,'other':{'x':null,'y':1}}}", "", "Pod");
        assertThat(scalars.at("/spec")).isEqualTo(json("{'bogus':3,'other':{'y':1}}"));
    }

    @Test
    void listOfListsIs422() {
        ObjectNode doc = obj("{'metadata':{'finalizers':[['a']]}}");
        ApiException e = catchThrowableOfType(ApiException.class, () -> smp(doc, "{'metadata':{'finalizers':[['b']]}}", "", "Pod"));
        assertThat(e.code()).isEqualTo(422);
    }

    @Test
    void customResourcesGet415() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> smp(obj("{}"), "{}", "example.com", "Widget"));
        assertThat(e.code()).isEqualTo(415);
        assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
        assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
    }

    @Test
    void crdsThemselvesAreBuiltIn() {
        ObjectNode crd = obj("{'spec':{'versions':[{'name':'v1','served':true}]}}");
        ObjectNode out = smp(crd, "{'spec':{'versions':[{'name':'v2','served':true}]}}", "apiextensions.k8s.io", "CustomResourceDefinition");
        assertThat(out.at("/spec/versions")).hasSize(1);
    }

    @Test
    void applyMergesTheConfigurationWithoutFieldManagers() {
        ObjectNode out = PatchApplier.apply(PatchType.APPLY, POD,
                json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'app','image':'nginx:2'}]}}"), "", "Pod");
        assertThat(names(out.at("/spec/containers"), "name")).containsExactly("app", "side");
        assertThat(out.at("/spec/containers/0/image").asText()).isEqualTo("nginx:2");
        ObjectNode cr = PatchApplier.apply(PatchType.APPLY, obj("{'spec':{'a':1,'b':[1]}}"),
                json("{'apiVersion':'example.com/v1','kind':'Widget','spec':{'b':[2]}}"), "example.com", "Widget");
        assertThat(cr.at("/spec")).isEqualTo(json("{'a':1,'b':[2]}"));
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> PatchApplier.apply(PatchType.APPLY, POD, json("{'spec':{}}"), "", "Pod"));
        assertThat(e.code()).isEqualTo(400);
        assertThat(catchThrowableOfType(ApiException.class,
                () -> PatchApplier.apply(PatchType.APPLY, POD, json("{'apiVersion':'v1','kind':'Service'}"), "", "Pod")).code()).isEqualTo(400);
    }

    @Test
    void nonObjectPatchIs400() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> pod("[1]"));
        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}");
        assertThat(pod("null")).isEqualTo(POD);
    }

    @Test
    void newElementsKeepNoDirectivesButMapsDropNulls() {
        ObjectNode out = pod("{'spec':{'nodeSelector':{'a':'1','b':null,'c':{'$patch':'delete'}}}}");
        assertThat(out.at("/spec/nodeSelector")).isEqualTo(json("{'a':'1'}"));
    }

    @Test
    void strategyTableComesFromKubernetes132() {
        PatchSchema schema = PatchSchema.get();
        assertThat(schema.source()).contains("v1.32");
        PatchSchema.GoType podSpec = schema.type("core/v1.PodSpec");
        assertThat(schema.lookupSlice(podSpec, "tolerations").strategies()).containsExactly("");
        assertThat(schema.lookupSlice(podSpec, "volumes").strategies()).containsExactly("merge", "retainKeys");
        assertThat(schema.lookupSlice(podSpec, "topologySpreadConstraints").mergeKey()).isEqualTo("topologyKey");
        assertThat(schema.lookupSlice(podSpec, "hostAliases").mergeKey()).isEqualTo("ip");
        assertThat(schema.lookupSlice(schema.type("core/v1.Container"), "volumeDevices").mergeKey()).isEqualTo("devicePath");
        assertThat(PatchApplier.isBuiltIn("apps", "StatefulSet")).isTrue();
        assertThat(PatchApplier.isBuiltIn("", "Widget")).isFalse();
    }
}
