package io.kronika.gateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiPathTest {
    private static ApiPath parse(String path) {
        return ApiPath.parse(path).orElseThrow();
    }

    @Test
    void coreAndGroupPaths() {
        assertThat(parse("/api/v1/pods")).isEqualTo(new ApiPath("", "v1", false, null, "pods", null, null));
        assertThat(parse("/api/v1/namespaces/ns/pods/p/status")).isEqualTo(new ApiPath("", "v1", false, "ns", "pods", "p", "status"));
        assertThat(parse("/apis/apps/v1/namespaces/ns/deployments/d/scale"))
                .isEqualTo(new ApiPath("apps", "v1", false, "ns", "deployments", "d", "scale"));
        assertThat(parse("/apis/apps/v1/deployments")).isEqualTo(new ApiPath("apps", "v1", false, null, "deployments", null, null));
    }

    @Test
    void namespacesThemselves() {
        assertThat(parse("/api/v1/namespaces")).isEqualTo(new ApiPath("", "v1", false, null, "namespaces", null, null));
        assertThat(parse("/api/v1/namespaces/ns")).isEqualTo(new ApiPath("", "v1", false, null, "namespaces", "ns", null));
        assertThat(parse("/api/v1/namespaces/ns/status")).isEqualTo(new ApiPath("", "v1", false, null, "namespaces", "ns", "status"));
        assertThat(parse("/api/v1/namespaces/ns/configmaps")).isEqualTo(new ApiPath("", "v1", false, "ns", "configmaps", null, null));
    }

    @Test
    void legacyWatchPaths() {
        assertThat(parse("/api/v1/watch/namespaces/ns/pods/p")).isEqualTo(new ApiPath("", "v1", true, "ns", "pods", "p", null));
        assertThat(parse("/apis/batch/v1/watch/jobs")).isEqualTo(new ApiPath("batch", "v1", true, null, "jobs", null, null));
    }

    @Test
    void notResourcePaths() {
        assertThat(ApiPath.parse("/api")).isEmpty();
        assertThat(ApiPath.parse("/apis/apps")).isEmpty();
        assertThat(ApiPath.parse("/healthz")).isEmpty();
        assertThat(ApiPath.parse("/api/v1/namespaces/ns/pods/p/status/extra")).isEmpty();
    }
}
