package io.kronika.gateway.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One hostile request as bytes on the wire. {@code raw} requests are written to a socket as they are (malformed
 * heads); the others get a well-formed head from {@link #wire(String)}. {@code pauses} splits the body into that many
 * slow pieces. {@code protocolLevel}: the head itself is malformed, so the HTTP codec answers before any handler does.
 */
record FuzzRequest(String mutation, String method, String path, Map<String, String> headers, byte[] body, byte[] raw,
                   int pauses, boolean protocolLevel) {

    static FuzzRequest of(String mutation, String method, String path, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new FuzzRequest(mutation, method, path, headers, body, null, 0, false);
    }

    static FuzzRequest raw(String mutation, String wire) {
        return new FuzzRequest(mutation, null, null, Map.of(), null, wire.getBytes(StandardCharsets.ISO_8859_1), 0, true);
    }

    static FuzzRequest raw(String mutation, byte[] wire, boolean protocolLevel) {
        return new FuzzRequest(mutation, null, null, Map.of(), null, wire, 0, protocolLevel);
    }

    FuzzRequest slow(int pieces) {
        return new FuzzRequest(mutation, method, path, headers, body, raw, pieces, protocolLevel);
    }

    /** The head and body as sent. */
    byte[] wire(String hostPort) {
        if (raw != null) {
            return raw;
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostPort).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] content = body == null ? new byte[0] : body;
        if (!headers.containsKey("Content-Length") && !headers.containsKey("Transfer-Encoding")) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + content.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(content, 0, out, h.length, content.length);
        return out;
    }

    @Override
    public String toString() {
        String shown = method == null ? new String(raw, 0, Math.min(raw.length, 160), StandardCharsets.ISO_8859_1)
                : method + " " + (path.length() > 160 ? path.substring(0, 160) + "…" : path) + " " + headers + " "
                + (body == null ? "" : new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8));
        return mutation + ": " + shown;
    }
}
