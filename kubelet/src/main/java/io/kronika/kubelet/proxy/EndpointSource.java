package io.kronika.kubelet.proxy;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a Service's traffic goes: the ready backends of one of its ports, and its ready pod addresses (headless DNS).
 * One small interface so that the source (Endpoints objects, EndpointSlices, or pods + selector) can be swapped.
 */
public interface EndpointSource {
    /** Ready backends (address and target port) of {@code servicePort} of {@code service}. */
    List<InetSocketAddress> backends(JsonNode service, JsonNode servicePort);

    /** Ready addresses of the Service's endpoints (any port), for headless Services' A records. */
    List<String> readyAddresses(JsonNode service);
}
