package io.kronika.kubelet.dns;

import com.fasterxml.jackson.databind.JsonNode;
import io.kronika.kubelet.proxy.EndpointSource;
import io.kronika.kubelet.util.Json;
import io.kronika.projections.ClusterView;
import io.kronika.schemas.ObjectKeys;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Cluster DNS (the CoreDNS kubernetes plugin's core), on netty-codec-dns over UDP, answering from the view:
 * <ul>
 *   <li>A {@code <service>.<namespace>.svc.<domain>}: the ClusterIP; for a headless Service the ready pod addresses;</li>
 *   <li>SRV {@code _<port-name>._<protocol>.<service>.<namespace>.svc.<domain>}: the port, target the service name.</li>
 * </ul>
 * Other names in the domain get NXDOMAIN; names outside it REFUSED (no upstream forwarding: pods keep the host's
 * resolvers after this server in their resolv.conf). TTL is 5 seconds, as CoreDNS's default.
 */
public final class ClusterDns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
    private static final int TTL = 5;

    /** The port resolv.conf implies: a nameserver line can not name another. */
    public static final int STANDARD_PORT = 53;

    /**
     * @param host          address to listen on (a loopback address in the all-in-one mode)
     * @param port          UDP port (0: any free one; 53 needs root / CAP_NET_BIND_SERVICE)
     * @param domain        cluster domain, e.g. {@code cluster.local}
     * @param podNameserver an address where the server also listens on port 53, written as the nameserver into the
     *                      resolv.conf of docker-runtime pods (the ClusterIP range's network address by default, which
     *                      pods reach like ClusterIPs); null: none
     */
    public record Settings(String host, int port, String domain, String podNameserver) {
        public Settings(String host, int port, String domain) {
            this(host, port, domain, null);
        }

        public static Settings defaults() {
            return new Settings("127.0.0.1", 10053, "cluster.local");
        }

        public Settings withPort(int value) {
            return new Settings(host, value, domain, podNameserver);
        }

        public Settings withPodNameserver(String address) {
            return new Settings(host, port, domain, address);
        }

        /**
         * The pod nameserver for a ClusterIP range: its network address, which the allocator never hands to a
         * Service, and which docker-runtime pods reach like the range's ClusterIPs.
         */
        public static String podNameserverFor(String serviceCidr) {
            String[] parts = serviceCidr.split("/");
            try {
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
                for (int i = 0; i < address.length; i++) {
                    int keep = Math.max(0, Math.min(8, bits - 8 * i));
                    address[i] &= (byte) (0xff << (8 - keep));
                }
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (java.net.UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR: " + serviceCidr, e);
            }
        }
    }

    private final ClusterView view;
    private final EndpointSource endpoints;
    private final String suffix;
    private final String domain;
    private final EventLoopGroup group;
    private final Channel channel;
    private final Channel podChannel;

    private ClusterDns(ClusterView view, EndpointSource endpoints, Settings settings) throws InterruptedException {
        this.view = view;
        this.endpoints = endpoints;
        this.domain = settings.domain();
        this.suffix = ".svc." + settings.domain().toLowerCase(Locale.ROOT) + ".";
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Handler());
                    }
                });
        try {
            this.channel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully();
            throw e;
        }
        LOG.info("cluster DNS listening on udp {}", channel.localAddress());
        this.podChannel = settings.podNameserver() == null ? null : bindForPods(bootstrap, settings.podNameserver());
    }

    private static Channel bindForPods(Bootstrap bootstrap, String address) throws InterruptedException {
        try {
            Channel bound = bootstrap.bind(address, STANDARD_PORT).sync().channel();
            LOG.info("cluster DNS listening for pods on udp {}", bound.localAddress());
            return bound;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {  // netty rethrows the BindException undeclared
            LOG.warn("cluster DNS can not listen on udp {}:{} ({}): docker-runtime pods get the node's resolvers instead"
                    + " (port 53 needs root or CAP_NET_BIND_SERVICE)", address, STANDARD_PORT, e.toString());
            return null;
        }
    }

    public static ClusterDns start(ClusterView view, EndpointSource endpoints, Settings settings) {
        try {
            return new ClusterDns(view, endpoints, settings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the DNS server", e);
        }
    }

    /** The address pods name in their resolv.conf (port 53), if the server listens on one. */
    public Optional<String> podNameserver() {
        return podChannel == null ? Optional.empty() : Optional.of(((InetSocketAddress) podChannel.localAddress()).getAddress().getHostAddress());
    }

    /** The cluster domain it answers for. */
    public String domain() {
        return domain;
    }

    /** The bound UDP address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionDesired(query.isRecursionDesired());
            response.setAuthoritativeAnswer(true);
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            if (question == null) {
                response.setCode(DnsResponseCode.FORMERR);
            } else {
                response.addRecord(DnsSection.QUESTION, question);
                try {
                    answer(question, response);
                } catch (RuntimeException e) {
                    LOG.debug("DNS query {} failed", question.name(), e);
                    response.setCode(DnsResponseCode.SERVFAIL);
                }
            }
            ctx.writeAndFlush(response);
        }
    }

    private void answer(DnsQuestion question, DatagramDnsResponse response) {
        String name = question.name().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".")) {
            name = name + ".";
        }
        if (!name.endsWith(suffix)) {
            response.setAuthoritativeAnswer(false);
            response.setCode(DnsResponseCode.REFUSED);
            return;
        }
        String[] labels = name.substring(0, name.length() - suffix.length()).split("\\.");
        // <svc>.<ns> or _<port>._<proto>.<svc>.<ns>
        String portName = null;
        String protocol = null;
        if (labels.length == 4 && labels[0].startsWith("_") && labels[1].startsWith("_")) {
            portName = labels[0].substring(1);
            protocol = labels[1].substring(1).toUpperCase(Locale.ROOT);
            labels = new String[]{labels[2], labels[3]};
        }
        if (labels.length != 2) {
            response.setCode(DnsResponseCode.NXDOMAIN);
            return;
        }
        Optional<JsonNode> service = view.get(ObjectKeys.of("", "Service", labels[1], labels[0])).map(o -> (JsonNode) Json.parse(o.json()));
        if (service.isEmpty()) {
            response.setCode(DnsResponseCode.NXDOMAIN);
            return;
        }
        String serviceName = labels[0] + "." + labels[1] + suffix;
        if (portName != null) {
            if (question.type() == DnsRecordType.SRV || question.type() == DnsRecordType.ANY) {
                for (JsonNode port : service.get().path("spec").path("ports")) {
                    if (port.path("name").asText("").equals(portName) && port.path("protocol").asText("TCP").equals(protocol)) {
                        response.addRecord(DnsSection.ANSWER, srv(question.name(), serviceName, port.path("port").asInt()));
                    }
                }
            }
            if (response.count(DnsSection.ANSWER) == 0 && !hasPort(service.get(), portName, protocol)) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            }
            return;
        }
        if (question.type() == DnsRecordType.A || question.type() == DnsRecordType.ANY) {
            for (String ip : addresses(service.get())) {
                response.addRecord(DnsSection.ANSWER, a(question.name(), ip));
            }
        }
    }

    private static boolean hasPort(JsonNode service, String portName, String protocol) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText("").equals(portName) && port.path("protocol").asText("TCP").equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    /** The A addresses of a Service: its ClusterIP, or for a headless one the ready endpoints' addresses. */
    List<String> addresses(JsonNode service) {
        String clusterIP = service.path("spec").path("clusterIP").asText("");
        if (clusterIP.equals("None")) {
            return endpoints.readyAddresses(service);
        }
        return clusterIP.isEmpty() ? List.of() : List.of(clusterIP);
    }

    private static DefaultDnsRawRecord a(String name, String ip) {
        try {
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            return new DefaultDnsRawRecord(name, DnsRecordType.A, TTL, Unpooled.wrappedBuffer(bytes));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + ip, e);
        }
    }

    private static DefaultDnsRawRecord srv(String name, String target, int port) {
        ByteBuf data = Unpooled.buffer();
        data.writeShort(0);    // priority
        data.writeShort(100);  // weight
        data.writeShort(port);
        for (String label : target.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            data.writeByte(bytes.length);
            data.writeBytes(bytes);
        }
        data.writeByte(0);
        return new DefaultDnsRawRecord(name, DnsRecordType.SRV, TTL, data);
    }

    @Override
    public void close() {
        if (podChannel != null) {
            podChannel.close().awaitUninterruptibly();
        }
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
