package io.kronika.gateway.http;

import io.kronika.gateway.openapi.OpenApiDocuments;

/**
 * What answers API requests over one {@link GatewayContext}: resources, discovery and OpenAPI. The gateway has one
 * for the live cluster and one per past revision it serves under {@code /history/…}.
 */
public final class ApiSurface {
    private final GatewayContext context;
    private final ApiDispatcher dispatcher;
    private final DiscoveryHandler discovery;
    private final AggregatedDiscovery aggregated;
    private final OpenApiDocuments openapi;

    public ApiSurface(GatewayContext context) {
        this.context = context;
        this.dispatcher = new ApiDispatcher(context);
        this.discovery = new DiscoveryHandler(context);
        this.aggregated = new AggregatedDiscovery(context);
        this.openapi = new OpenApiDocuments(context.catalog(), context.settings().version());
    }

    public GatewayContext context() {
        return context;
    }

    public ApiDispatcher dispatcher() {
        return dispatcher;
    }

    public DiscoveryHandler discovery() {
        return discovery;
    }

    public AggregatedDiscovery aggregated() {
        return aggregated;
    }

    public OpenApiDocuments openapi() {
        return openapi;
    }
}
