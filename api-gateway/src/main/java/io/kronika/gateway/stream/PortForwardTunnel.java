package io.kronika.gateway.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * kubectl's port-forward (client-go 1.30+): a SPDY/3.1 session tunnelled in WebSocket binary messages
 * ({@code SPDY/3.1+portforward.k8s.io}), terminated here. Each forwarded connection is a pair of SPDY streams with
 * the same requestID (streamType data and error); the gateway carries each pair to the kubelet over one WebSocket
 * of its port-forward protocol ({@code v4.channel.k8s.io}: channel 0 data, channel 1 errors, each first announcing
 * the port in two bytes), as kube-apiserver carries them to its kubelet. Everything runs on the client socket's
 * event loop.
 */
final class PortForwardTunnel {
    static final String PROTOCOL = "SPDY/3.1+portforward.k8s.io";
    private static final String KUBELET_PROTOCOL = "v4.channel.k8s.io";
    private static final Logger LOG = LoggerFactory.getLogger(PortForwardTunnel.class);

    private final ServerWebSocket client;
    private final WebSocketClient kubelets;
    private final KubeletTarget target;
    private final EmbeddedChannel spdy = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    private final Map<String, Forward> byRequest = new HashMap<>();
    private final Map<Integer, Forward> byStream = new HashMap<>();

    /** One forwarded connection: its two streams, and the kubelet WebSocket once it is open. */
    private static final class Forward {
        final String requestId;
        int port;
        int dataStream = -1;
        int errorStream = -1;
        WebSocket kubelet;
        final List<Buffer> pending = new ArrayList<>();
        boolean clientDone;
        final boolean[] portAnnounced = new boolean[2];

        Forward(String requestId) {
            this.requestId = requestId;
        }
    }

    PortForwardTunnel(ServerWebSocket client, WebSocketClient kubelets, KubeletTarget target) {
        this.client = client;
        this.kubelets = kubelets;
        this.target = target;
    }

    void start() {
        client.frameHandler(frame -> {
            if (frame.type() == WebSocketFrameType.BINARY || frame.type() == WebSocketFrameType.CONTINUATION) {
                fromClient(frame.binaryData());
            }
        });
        client.closeHandler(v -> closeAll());
        client.exceptionHandler(e -> closeAll());
    }

    private void fromClient(Buffer bytes) {
        spdy.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes()));
        for (Object frame = spdy.readInbound(); frame != null; frame = spdy.readInbound()) {
            try {
                handle((SpdyFrame) frame);
            } finally {
                io.netty.util.ReferenceCountUtil.release(frame);
            }
        }
    }

    private void handle(SpdyFrame frame) {
        if (frame instanceof SpdySynStreamFrame syn) {
            opened(syn);
        } else if (frame instanceof SpdyDataFrame data) {
            Forward forward = byStream.get(data.streamId());
            if (forward != null && data.streamId() == forward.dataStream) {
                if (data.content().isReadable()) {
                    toKubelet(forward, Buffer.buffer().appendByte((byte) 0).appendBytes(bytes(data.content())));
                }
                if (data.isLast()) {
                    forward.clientDone = true;
                    if (forward.kubelet != null) {
                        forward.kubelet.close();
                    }
                }
            }
        } else if (frame instanceof SpdyPingFrame ping) {
            write(new DefaultSpdyPingFrame(ping.id()));
        } else if (frame instanceof SpdyRstStreamFrame reset) {
            Forward forward = byStream.get(reset.streamId());
            if (forward != null) {
                end(forward);
            }
        } else if (frame instanceof SpdyGoAwayFrame) {
            closeAll();
        }
    }

    private void opened(SpdySynStreamFrame syn) {
        String type = header(syn, "streamtype");
        String requestId = header(syn, "requestid");
        String port = header(syn, "port");
        write(reply(syn));
        if (requestId == null || port == null || !("data".equals(type) || "error".equals(type))) {
            return;
        }
        Forward forward = byRequest.computeIfAbsent(requestId, Forward::new);
        forward.port = Integer.parseInt(port);
        if (type.equals("data")) {
            forward.dataStream = syn.streamId();
        } else {
            forward.errorStream = syn.streamId();
        }
        byStream.put(syn.streamId(), forward);
        if (forward.dataStream >= 0 && forward.errorStream >= 0) {
            connect(forward);
        }
    }

    /**
     * The SYN_REPLY accepting a stream. It echoes the stream's headers: Netty writes an empty header block as no
     * bytes at all, which Go's SPDY framer (client-go's spdystream) cannot read.
     */
    private static DefaultSpdySynReplyFrame reply(SpdySynStreamFrame syn) {
        DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
        syn.headers().forEach(header -> reply.headers().add(header.getKey(), header.getValue()));
        if (reply.headers().isEmpty()) {
            reply.headers().add("streamtype", "");
        }
        return reply;
    }

    private void connect(Forward forward) {
        String path = target.pathAndQuery();
        String separator = path.contains("?") ? "&" : "?";
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
                .setURI(path + separator + "ports=" + forward.port).setSubProtocols(List.of(KUBELET_PROTOCOL));
        kubelets.connect(options).onComplete(connected -> {
            if (connected.failed()) {
                error(forward, "error forwarding port " + forward.port + " to pod: " + connected.cause().getMessage());
                end(forward);
                return;
            }
            WebSocket kubelet = connected.result();
            forward.kubelet = kubelet;
            kubelet.binaryMessageHandler(message -> fromKubelet(forward, message));
            kubelet.closeHandler(v -> end(forward));
            forward.pending.forEach(kubelet::writeBinaryMessage);
            forward.pending.clear();
            if (forward.clientDone) {
                kubelet.close();
            }
        });
    }

    private void toKubelet(Forward forward, Buffer message) {
        if (forward.kubelet == null) {
            forward.pending.add(message);
        } else {
            forward.kubelet.writeBinaryMessage(message);
        }
    }

    private void fromKubelet(Forward forward, Buffer message) {
        if (message.length() == 0) {
            return;
        }
        int channel = message.getByte(0);
        Buffer payload = message.getBuffer(1, message.length());
        if (channel != 0 && channel != 1) {
            return;
        }
        if (!forward.portAnnounced[channel]) {
            // Each channel first carries the port number (two bytes, little endian).
            forward.portAnnounced[channel] = true;
            if (payload.length() == 2) {
                return;
            }
        }
        int stream = channel == 0 ? forward.dataStream : forward.errorStream;
        write(new DefaultSpdyDataFrame(stream, Unpooled.wrappedBuffer(payload.getBytes())));
    }

    private void error(Forward forward, String message) {
        write(new DefaultSpdyDataFrame(forward.errorStream, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)));
    }

    /** Ends both streams of a forwarded connection (FIN), once. */
    private void end(Forward forward) {
        if (byRequest.remove(forward.requestId) == null) {
            return;
        }
        byStream.remove(forward.dataStream);
        byStream.remove(forward.errorStream);
        for (int stream : new int[]{forward.dataStream, forward.errorStream}) {
            write(new DefaultSpdyDataFrame(stream).setLast(true));
        }
        if (forward.kubelet != null && !forward.kubelet.isClosed()) {
            forward.kubelet.close();
        }
    }

    private void write(SpdyFrame frame) {
        if (client.isClosed()) {
            io.netty.util.ReferenceCountUtil.release(frame);
            return;
        }
        spdy.writeOutbound(frame);
        for (Object out = spdy.readOutbound(); out != null; out = spdy.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            client.writeBinaryMessage(Buffer.buffer(bytes(buf)));
            buf.release();
        }
    }

    private void closeAll() {
        for (Forward forward : new ArrayList<>(byRequest.values())) {
            if (forward.kubelet != null && !forward.kubelet.isClosed()) {
                forward.kubelet.close();
            }
        }
        byRequest.clear();
        byStream.clear();
        spdy.finishAndReleaseAll();
        LOG.debug("port-forward tunnel to {}:{} closed", target.host(), target.port());
    }

    private static String header(SpdySynStreamFrame syn, String name) {
        for (Map.Entry<CharSequence, CharSequence> header : syn.headers()) {
            if (header.getKey().toString().equalsIgnoreCase(name)) {
                return header.getValue().toString();
            }
        }
        return null;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }
}
