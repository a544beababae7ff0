package io.kronika.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.gateway.api.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A raw HTTP watch: reads the newline-delimited JSON events of a chunked response as they arrive. */
public final class WatchStream implements AutoCloseable {
    private static final JsonNode END = Json.newObject().put("type", "__END__");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    private final int code;
    private final Stream<String> lines;
    private volatile boolean ended;

    public WatchStream(String url) {
        try {
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            code = response.statusCode();
            lines = response.body();
            Thread reader = new Thread(() -> {
                try {
                    lines.forEach(line -> {
                        if (!line.isBlank()) {
                            events.add(parse(line));
                        }
                    });
                } catch (RuntimeException e) {
                    // closed
                } finally {
                    ended = true;
                    events.add(END);
                }
            }, "watch-reader");
            reader.setDaemon(true);
            reader.start();
        } catch (Exception e) {
            throw new AssertionError("watch " + url + " failed", e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON event: " + line, e);
        }
    }

    public int code() {
        return code;
    }

    /** The next event, or an AssertionError after {@code timeout}; null when the stream ended. */
    public JsonNode next(Duration timeout) {
        try {
            JsonNode event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("no watch event within " + timeout);
            }
            return event == END ? null : event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Events until {@code last} matches one (included), skipping none. */
    public List<JsonNode> until(Predicate<JsonNode> last, Duration timeout) {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event == null) {
                throw new AssertionError("the watch ended before the expected event; saw " + seen);
            }
            seen.add(event);
            if (last.test(event)) {
                return seen;
            }
        }
    }

    /** Whether the server ended the stream (within {@code timeout}). */
    public boolean endsWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ended) {
                return true;
            }
            JsonNode event;
            try {
                event = events.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (event == END) {
                return true;
            }
        }
        return ended;
    }

    public static String type(JsonNode event) {
        return event.path("type").asText();
    }

    public static String name(JsonNode event) {
        return event.path("object").path("metadata").path("name").asText();
    }

    @Override
    public void close() {
        lines.close();
    }
}
