package io.kronika.gateway.ui;

import io.kronika.gateway.api.ApiException;
import io.kronika.gateway.http.Reply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's built files, read from the classpath under {@code kronika-ui/} and kept in memory once read. A page
 * path (no file extension) answers index.html, so the single-page app's own routes survive a reload; a missing file
 * answers a 404 Status, and so does every path when the dashboard jar is not on the classpath.
 */
public final class UiAssets {
    static final String ROOT = "kronika-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "application/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon",
            "json", "application/json", "woff2", "font/woff2", "map", "application/json", "txt", "text/plain; charset=utf-8");

    private final ClassLoader loader;
    private final boolean installed;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    private UiAssets(ClassLoader loader) {
        this.loader = loader;
        this.installed = loader.getResource(ROOT + "index.html") != null;
    }

    public static UiAssets fromClasspath(ClassLoader loader) {
        return new UiAssets(loader);
    }

    public boolean installed() {
        return installed;
    }

    /** The reply for {@code /ui/<path>}. */
    public Reply serve(String requested) {
        if (!installed) {
            throw new ApiException(404, "NotFound", "the dashboard is not installed: the kronika-dashboard jar is not on the "
                    + "gateway's classpath (build it with 'mvn -pl dashboard install' and run the launcher, which depends on it)");
        }
        String path = requested.isEmpty() || requested.endsWith("/") ? requested + "index.html" : requested;
        if (path.contains("..") || path.contains("//") || path.startsWith("/")) {
            throw ApiException.badRequest("the path /ui/" + path + " is not a dashboard file");
        }
        String extension = extension(path);
        Optional<byte[]> file = read(path);
        if (file.isEmpty() && extension.isEmpty()) {
            return new Reply(200, TYPES.get("html"), read("index.html").orElseThrow());
        }
        byte[] body = file.orElseThrow(() -> new ApiException(404, "NotFound", "the dashboard has no file /ui/" + path));
        return new Reply(200, TYPES.getOrDefault(extension, "application/octet-stream"), body);
    }

    private Optional<byte[]> read(String path) {
        byte[] cached = cache.get(path);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return Optional.empty(); // not cached: unknown paths must not grow the cache
            }
            byte[] body = in.readAllBytes();
            cache.put(path, body);
            return Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + ROOT + path, e);
        }
    }

    private static String extension(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
