package io.kronika.launcher;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.eventstore.client.Commands;
import io.kronika.launcher.security.ApiSecurity;
import io.kronika.schemas.ObjectKeys;
import io.kronika.schemas.Operation;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The {@code default/kubernetes} Service and its Endpoints, pointing at this cluster's API, as every Kubernetes cluster
 * has them (pods find the API through KUBERNETES_SERVICE_HOST/PORT). The Service is created through the API so that
 * its ClusterIP comes from the allocator like any other's.
 */
final class KubernetesService {
    private KubernetesService() {
    }

    static void ensure(String apiUrl, CommandClient commands, ApiSecurity security) throws Exception {
        URI api = URI.create(apiUrl);
        String service = "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"kubernetes\",\"namespace\":\"default\","
                + "\"labels\":{\"component\":\"apiserver\",\"provider\":\"kubernetes\"}},\"spec\":{\"ports\":[{\"name\":\"https\","
                + "\"port\":443,\"protocol\":\"TCP\",\"targetPort\":" + api.getPort() + "}]}}";
        HttpResponse<String> created = security.httpClient().send(security.authorize(HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/namespaces/default/services")))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(service)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201 && created.statusCode() != 409) {
            throw new IllegalStateException("Could not create the default/kubernetes Service: " + created.statusCode() + " " + created.body());
        }
        String endpoints = "{\"apiVersion\":\"v1\",\"kind\":\"Endpoints\",\"metadata\":{\"name\":\"kubernetes\",\"namespace\":\"default\"},"
                + "\"subsets\":[{\"addresses\":[{\"ip\":\"" + api.getHost() + "\"}],\"ports\":[{\"name\":\"https\",\"port\":" + api.getPort()
                + ",\"protocol\":\"TCP\"}]}]}";
        var ref = ObjectKeys.ref("", "Endpoints", "default", "kubernetes");
        var actor = Commands.actor("system:apiserver", "launcher", "system:masters");
        var result = commands.submit(Commands.builder(Operation.CREATE, ref, actor).setObject(endpoints).setStatusSubresource(false).build())
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        if ("AlreadyExists".equals(result.getReason())) {
            // The API may have moved (another --api-port): point the Endpoints at where it listens now.
            commands.submit(Commands.builder(Operation.UPDATE, ref, actor).setObject(endpoints).setStatusSubresource(false).build())
                    .get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
