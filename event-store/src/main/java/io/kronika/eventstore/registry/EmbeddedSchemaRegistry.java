package io.kronika.eventstore.registry;

import io.kronika.eventstore.topics.TopicNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A schema registry speaking Confluent's REST API, kept in the cluster's schemas topic: Confluent's record
 * format, one writer, acks=all, state rebuilt from the topic on start (same ids and versions after a restart).
 * Avro only. Point Kafka clients (Confluent's serdes, {@code HttpSchemaRegistryClient}) at {@link #url()}.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(bootstrap, TopicNames.defaults(), "127.0.0.1", 8081)) {
 *     SchemaRegistry client = new HttpSchemaRegistryClient(registry.url());
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final KafkaSchemaStore store;
    private final Vertx vertx;
    private final HttpServer server;
    private final String host;

    private EmbeddedSchemaRegistry(KafkaSchemaStore store, Vertx vertx, HttpServer server, String host) {
        this.store = store;
        this.vertx = vertx;
        this.server = server;
        this.host = host;
    }

    /**
     * Reads the schemas topic of {@code names} (creating it if missing) and serves the registry on
     * {@code host:port}; port 0 takes a free port.
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, TopicNames names, String host, int port) {
        long started = System.nanoTime();
        SchemasTopic.ensure(bootstrapServers, names);
        KafkaSchemaStore store = KafkaSchemaStore.open(bootstrapServers, names.schemas());
        Vertx vertx = null;
        try {
            RegistryState state = new RegistryState();
            int records = store.replay(state::apply);
            SchemaRegistryService service = new SchemaRegistryService(state, store::append);
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(8));
            HttpServer server = await(vertx.createHttpServer()
                    .requestHandler(RegistryRoutes.router(vertx, service))
                    .listen(port, host), "listen on " + host + ":" + port);
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(store, vertx, server, host);
            LOG.info("Schema registry on {} from topic {} ({} records, {} subjects) in {} ms", registry.url(),
                    names.schemas(), records, state.subjects(true).size(), (System.nanoTime() - started) / 1_000_000);
            return registry;
        } catch (RuntimeException e) {
            if (vertx != null) {
                closeQuietly(vertx);
            }
            store.close();
            throw e;
        }
    }

    /** The base URL of the API, e.g. {@code http://127.0.0.1:34567}. */
    public String url() {
        String h = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port();
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            await(server.close(), "close the HTTP server");
        } finally {
            closeQuietly(vertx);
            store.close();
            LOG.info("Schema registry on topic {} stopped", store.topic());
        }
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            await(vertx.close(), "close Vert.x");
        } catch (RuntimeException e) {
            LOG.warn("Could not close Vert.x", e);
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Could not " + what + " within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
