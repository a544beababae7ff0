/**
 * The Kubernetes REST API over the log. {@link io.kronika.gateway.ApiGateway} serves it with Vert.x Web; writes
 * become commands ({@code io.kronika.eventstore.client.CommandClient}), reads and watches come from the projections
 * ({@code io.kronika.projections.ClusterView}, {@code EventFeed}).
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code catalog}: the served resources (built-in table, CRD-defined ones read from the view on demand).</li>
 *   <li>{@code http}: URL and body parsing ({@code ApiPath}, {@code Bodies}, {@code BoundedBody}), the dispatcher,
 *       one handler per verb family (read, write, patch, delete, scale, pod subresources, discovery), the
 *       strategies around writes ({@code ObjectStrategy}), read-your-writes and command submission.</li>
 *   <li>{@code selection}: label and field selectors, continue tokens.</li>
 *   <li>{@code watch}: watch sessions over chunked HTTP or WebSocket.</li>
 *   <li>{@code metrics}: Prometheus metrics through Micrometer.</li>
 *   <li>{@code api}: Status rendering and errors; {@code patch}, {@code validation}, {@code quantity}: the patch
 *       engines and validation the handlers call.</li>
 *   <li>{@code protobuf}: request bodies in Kubernetes protobuf (kubectl's typed clients send them), decoded over
 *       descriptors compiled from the upstream generated.proto files.</li>
 *   <li>{@code table}: meta.k8s.io Tables, with kube-apiserver's columns per kind and CRDs' printer columns.</li>
 *   <li>{@code openapi}: /openapi/v2 and /openapi/v3 from kube-apiserver 1.32.4's definitions and CRD schemas;
 *       unknown-field detection for fieldValidation.</li>
 *   <li>{@code fieldmanager}: managedFields on every write and server-side apply with conflicts.</li>
 *   <li>{@code stream}: pods/log, exec, attach and portforward proxied to the kubelet of the pod's node
 *       ({@code kubelet/PROTOCOL.md}); kubectl's tunnelled SPDY port-forward is terminated here.</li>
 *   <li>{@code usage}: metrics.k8s.io (kubectl top) from the kubelets' usage summaries.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Threads.</b> Vert.x event loops only parse and answer; everything that may block (view reads,
 *       read-your-writes waits) runs on a bounded worker pool; command answers continue on that pool, never on the
 *       command client's result thread.</li>
 *   <li><b>Read-your-writes.</b> Every read that is not explicitly "any" ({@code resourceVersion=0}) first waits
 *       until the view has applied {@code CommandClient.latestRevision()} (bounded; 504 Timeout otherwise).</li>
 *   <li><b>Lists</b> are cut from one snapshot revision; the continue token carries that revision and the last key,
 *       so later pages read the same snapshot whatever is written meanwhile.</li>
 *   <li><b>Watches</b> from resourceVersion N replay the log from N (any revision still in the log); with selectors,
 *       objects moving in or out of the selection become ADDED / DELETED as in Kubernetes. Bookmarks carry the last
 *       revision sent. Slow clients are disconnected (they resume from their last revision).</li>
 *   <li><b>Patches</b> retry on conflict like GuaranteedUpdate unless the patch itself pins a resourceVersion.</li>
 *   <li><b>Propagation policy</b> is stored as Kubernetes stores it: the {@code foregroundDeletion} or {@code orphan}
 *       finalizer, written (UPDATE) before the DELETE command; the garbage collector acts on it later.</li>
 *   <li><b>generateName</b> is resolved by the admission processor (deterministic from the command id); validation
 *       sees a stand-in name of the same shape.</li>
 *   <li><b>CRDs</b> are established on create (no naming controller runs): the gateway writes the accepted names and
 *       the NamesAccepted / Established conditions into the new CRD's status.</li>
 *   <li><b>Protobuf</b> is accepted for built-in kinds (client-go's generated clients always send it; no server
 *       answer makes them switch); answers are JSON, which those clients accept too.</li>
 *   <li><b>Field management</b> follows structured-merge-diff: list and map semantics come from the OpenAPI
 *       extensions (x-kubernetes-list-type, map keys, patch strategy); server-side apply by kubectl may take over
 *       the fields the last-applied-configuration still holds, as kube-apiserver allows it.</li>
 *   <li><b>Streams</b> are proxied, not interpreted: upgraded GET connections (the WebSocket channel protocols kubectl
 *       1.30+ speaks first) are joined byte for byte to the node's kubelet endpoint (its kronika.io/kubelet-endpoint
 *       annotation, else InternalIP and daemonEndpoints), over TLS with the gateway's kube-apiserver-kubelet-client
 *       certificate when the endpoint is https:// ({@code stream.KubeletClients}). The exception is port-forward, which kubectl tunnels as SPDY
 *       inside a WebSocket: the gateway terminates that session and carries each connection over the kubelet's
 *       WebSocket port-forward protocol, as kube-apiserver translates for its kubelet. SPDY's POST upgrade (kubectl's
 *       fallback) is refused with a message: Vert.x turns only GET upgrades into sockets.</li>
 *   <li><b>Service IPs and NodePorts</b> are allocated at admission ({@code services.ServiceAllocator}): the lowest
 *       free ClusterIP of {@code GatewaySettings.serviceClusterIpRange} (default 127.96.0.0/16, loopback) and the lowest
 *       free NodePort of 30000–32767, free meaning held by no Service in the view and by no write of this gateway the
 *       view has not applied yet (checked under one lock). No allocator state is stored, so restarts and deletes need
 *       nothing; several gateways would need the check in the admission processor (see the class comment).</li>
 *   <li><b>Sizes.</b> Bodies over 3 MiB are refused with 413 after being read to the end; objects over the log's
 *       per-object limit get 413 from the command client.</li>
 * </ul>
 */
package io.kronika.gateway;
