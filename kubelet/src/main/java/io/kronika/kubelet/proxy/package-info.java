/**
 * The service proxy (kube-proxy role) of a kubelet process: {@link io.kronika.kubelet.proxy.ServiceProxy} listens on
 * every Service's ClusterIP:port and NodePort and forwards TCP connections round-robin to the ready endpoints that
 * {@link io.kronika.kubelet.proxy.EndpointSource} gives ({@link io.kronika.kubelet.proxy.ViewEndpointSource}: the
 * Endpoints object when the endpoints controller wrote one, else pods + selector). One per process, started by
 * {@code KubeletServices} when {@code Settings.withServiceProxy} is set.
 *
 * <p>ClusterIPs come from 127.96.0.0/16 by default (the gateway allocates them), which Linux routes to loopback, so
 * binding them needs no route. Docker-runtime pods on the bridge reach them through a route of the range to the bridge
 * gateway in their network namespace ({@code runtime/docker/LoopbackServiceRoutes}, docs/decisions/013). On a real
 * network iptables (DNAT per ClusterIP:port / NodePort, probability-weighted rules per endpoint) or IPVS (a virtual
 * server per ClusterIP:port, real servers per endpoint) would replace the userspace data path, programmed from the
 * same view on the same events.
 */
package io.kronika.kubelet.proxy;
