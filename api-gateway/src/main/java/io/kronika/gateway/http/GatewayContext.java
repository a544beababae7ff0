package io.kronika.gateway.http;

import io.kronika.eventstore.client.CommandClient;
import io.kronika.gateway.GatewaySettings;
import io.kronika.gateway.catalog.ResourceCatalog;
import io.kronika.gateway.metrics.GatewayMetrics;
import io.kronika.gateway.services.ServiceAllocator;
import io.kronika.gateway.stream.KubeletClients;
import io.kronika.gateway.table.TableRenderer;
import io.kronika.projections.ClusterView;
import io.kronika.projections.EventFeed;
import io.vertx.core.Vertx;

import java.util.concurrent.ExecutorService;

/** What the handlers share: settings, the write and read sides, the catalog, threads, metrics, the Service IP / port allocator and the kubelet clients. */
public record GatewayContext(GatewaySettings settings, CommandClient commands, ClusterView view, EventFeed feed,
                             ResourceCatalog catalog, ReadYourWrites readYourWrites, CommandSender sender,
                             ExecutorService workers, Vertx vertx, GatewayMetrics metrics,
                             TableRenderer tables, ServiceAllocator services, KubeletClients kubelets) {
}
