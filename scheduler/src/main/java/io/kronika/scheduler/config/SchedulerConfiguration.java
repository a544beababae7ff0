package io.kronika.scheduler.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kronika.scheduler.framework.Framework;
import io.kronika.scheduler.framework.Plugins;
import io.kronika.scheduler.model.PodInfo;
import io.kronika.scheduler.plugins.InterPodAffinity;
import io.kronika.scheduler.plugins.NodeAffinity;
import io.kronika.scheduler.plugins.NodeName;
import io.kronika.scheduler.plugins.NodePorts;
import io.kronika.scheduler.plugins.NodeResourcesBalancedAllocation;
import io.kronika.scheduler.plugins.NodeResourcesFit;
import io.kronika.scheduler.plugins.NodeUnschedulable;
import io.kronika.scheduler.plugins.PodTopologySpread;
import io.kronika.scheduler.plugins.ResourceWeight;
import io.kronika.scheduler.plugins.TaintToleration;
import io.kronika.scheduler.preemption.DefaultPreemption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) subset, read from YAML or JSON:
 * <pre>
 * apiVersion: kubescheduler.config.k8s.io/v1
 * kind: KubeSchedulerConfiguration
 * percentageOfNodesToScore: 0          # 0: adaptive (50% − nodes/125, at least 5%)
 * podInitialBackoffSeconds: 1
 * podMaxBackoffSeconds: 10
 * profiles:
 * - schedulerName: default-scheduler
 *   plugins:
 *     multiPoint: {enabled: [...], disabled: [...]}
 *     preFilter / filter / postFilter / preScore / score:
 *       enabled: [{name: NodeResourcesFit, weight: 5}]
 *       disabled: [{name: "*"}]       # "*" turns every default plugin of that point off
 *   pluginConfig:
 *   - name: NodeResourcesFit
 *     args: {scoringStrategy: {type: MostAllocated, resources: [{name: cpu, weight: 1}]}}
 * </pre>
 * Defaults and merging follow kube-scheduler: the default plugins in their default order, disabled ones removed,
 * enabled ones appended (or, for a default plugin, given the new weight).
 */
public final class SchedulerConfiguration {
    public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";

    /** Default plugin names in kube-scheduler's order, with their default score weights. */
    static final List<String> DEFAULT_FILTERS = List.of(NodeUnschedulable.NAME, NodeName.NAME, TaintToleration.NAME,
            NodeAffinity.NAME, NodePorts.NAME, NodeResourcesFit.NAME, PodTopologySpread.NAME, InterPodAffinity.NAME);
    static final Map<String, Integer> DEFAULT_SCORES = defaultScores();
    static final Set<String> KNOWN = Set.of(NodeUnschedulable.NAME, NodeName.NAME, TaintToleration.NAME, NodeAffinity.NAME,
            NodePorts.NAME, NodeResourcesFit.NAME, PodTopologySpread.NAME, InterPodAffinity.NAME,
            NodeResourcesBalancedAllocation.NAME, DefaultPreemption.NAME, "PrioritySort", "DefaultBinder", "SchedulingGates");

    private static Map<String, Integer> defaultScores() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(TaintToleration.NAME, 3);
        m.put(NodeAffinity.NAME, 2);
        m.put(NodeResourcesFit.NAME, 1);
        m.put(PodTopologySpread.NAME, 2);
        m.put(InterPodAffinity.NAME, 2);
        m.put(NodeResourcesBalancedAllocation.NAME, 1);
        return m;
    }

    /** One profile, resolved: filter plugins in order, score plugins with weights, preemption on or off, plugin args. */
    public record Profile(String schedulerName, List<String> filters, Map<String, Integer> scores, boolean preemption,
                          Integer percentageOfNodesToScore, Map<String, JsonNode> pluginArgs) {
    }

    private final List<Profile> profiles;
    private final int percentageOfNodesToScore;
    private final long podInitialBackoffMillis;
    private final long podMaxBackoffMillis;

    private SchedulerConfiguration(List<Profile> profiles, int percentageOfNodesToScore, long initialBackoffMillis, long maxBackoffMillis) {
        this.profiles = List.copyOf(profiles);
        this.percentageOfNodesToScore = percentageOfNodesToScore;
        this.podInitialBackoffMillis = initialBackoffMillis;
        this.podMaxBackoffMillis = maxBackoffMillis;
    }

    /** kube-scheduler's defaults: one profile, default-scheduler, the default plugins. */
    public static SchedulerConfiguration defaults() {
        return new SchedulerConfiguration(List.of(new Profile(PodInfo.DEFAULT_SCHEDULER_NAME, DEFAULT_FILTERS, DEFAULT_SCORES,
                true, null, Map.of())), 0, 1000, 10_000);
    }

    public static SchedulerConfiguration load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses YAML (or JSON, which is YAML); errors name the offending field. */
    public static SchedulerConfiguration parse(String text) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("scheduler configuration is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return defaults();
        }
        String kind = root.path("kind").asText("KubeSchedulerConfiguration");
        if (!"KubeSchedulerConfiguration".equals(kind)) {
            throw new IllegalArgumentException("kind: must be KubeSchedulerConfiguration, not " + kind);
        }
        String apiVersion = root.path("apiVersion").asText(API_VERSION);
        if (!apiVersion.startsWith("kubescheduler.config.k8s.io/")) {
            throw new IllegalArgumentException("apiVersion: must be " + API_VERSION + ", not " + apiVersion);
        }
        int percentage = root.path("percentageOfNodesToScore").asInt(0);
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore: must be between 0 and 100, got " + percentage);
        }
        long initial = root.path("podInitialBackoffSeconds").asLong(1);
        long max = root.path("podMaxBackoffSeconds").asLong(10);
        if (initial <= 0 || max < initial) {
            throw new IllegalArgumentException("podInitialBackoffSeconds must be positive and podMaxBackoffSeconds at least as large");
        }
        List<Profile> profiles = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode profileNodes = root.get("profiles");
        if (profileNodes == null || profileNodes.isNull() || profileNodes.isEmpty()) {
            profiles.add(defaults().profiles.get(0));
        } else {
            int i = 0;
            for (JsonNode p : profileNodes) {
                Profile profile = parseProfile(p, "profiles[" + i + "]");
                if (!names.add(profile.schedulerName())) {
                    throw new IllegalArgumentException("profiles[" + i + "].schedulerName: duplicate " + profile.schedulerName());
                }
                profiles.add(profile);
                i++;
            }
        }
        return new SchedulerConfiguration(profiles, percentage, initial * 1000, max * 1000);
    }

    private static Profile parseProfile(JsonNode p, String path) {
        String schedulerName = p.path("schedulerName").asText(PodInfo.DEFAULT_SCHEDULER_NAME);
        JsonNode plugins = p.path("plugins");
        JsonNode multi = plugins.path("multiPoint");

        List<String> filters = new ArrayList<>(DEFAULT_FILTERS);
        Map<String, Integer> scores = new LinkedHashMap<>(DEFAULT_SCORES);
        List<String> postFilters = new ArrayList<>(List.of(DefaultPreemption.NAME));

        for (String point : new String[]{"multiPoint", "preFilter", "filter", "postFilter", "preScore", "score"}) {
            JsonNode set = plugins.path(point);
            for (JsonNode d : iterable(set.get("disabled"))) {
                String name = pluginName(d, path + ".plugins." + point + ".disabled");
                boolean all = "*".equals(name);
                if (point.equals("multiPoint") || point.equals("filter") || point.equals("preFilter")) {
                    if (all) {
                        filters.clear();
                    } else {
                        filters.remove(name);
                    }
                }
                if (point.equals("multiPoint") || point.equals("score") || point.equals("preScore")) {
                    if (all) {
                        scores.clear();
                    } else {
                        scores.remove(name);
                    }
                }
                if (point.equals("multiPoint") || point.equals("postFilter")) {
                    if (all) {
                        postFilters.clear();
                    } else {
                        postFilters.remove(name);
                    }
                }
            }
        }
        for (String point : new String[]{"multiPoint", "filter", "postFilter", "score"}) {
            JsonNode set = plugins.path(point);
            for (JsonNode e : iterable(set.get("enabled"))) {
                String where = path + ".plugins." + point + ".enabled";
                String name = pluginName(e, where);
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException(where + ": unknown plugin " + name + "; known: " + new java.util.TreeSet<>(KNOWN));
                }
                int weight = e.path("weight").asInt(0);
                if (weight < 0) {
                    throw new IllegalArgumentException(where + ": weight of " + name + " must not be negative");
                }
                boolean isFilter = DEFAULT_FILTERS.contains(name);
                boolean isScore = DEFAULT_SCORES.containsKey(name);
                switch (point) {
                    case "multiPoint" -> {
                        if (isFilter && !filters.contains(name)) {
                            filters.add(name);
                        }
                        if (isScore) {
                            scores.put(name, weight > 0 ? weight : DEFAULT_SCORES.get(name));
                        }
                        if (DefaultPreemption.NAME.equals(name) && !postFilters.contains(name)) {
                            postFilters.add(name);
                        }
                    }
                    case "filter" -> {
                        if (!isFilter) {
                            throw new IllegalArgumentException(where + ": " + name + " has no filter");
                        }
                        if (!filters.contains(name)) {
                            filters.add(name);
                        }
                    }
                    case "score" -> {
                        if (!isScore) {
                            throw new IllegalArgumentException(where + ": " + name + " has no score");
                        }
                        scores.put(name, weight > 0 ? weight : scores.getOrDefault(name, DEFAULT_SCORES.get(name)));
                    }
                    case "postFilter" -> {
                        if (!DefaultPreemption.NAME.equals(name)) {
                            throw new IllegalArgumentException(where + ": " + name + " has no postFilter");
                        }
                        if (!postFilters.contains(name)) {
                            postFilters.add(name);
                        }
                    }
                    default -> throw new IllegalStateException(point);
                }
            }
        }
        Map<String, JsonNode> args = new HashMap<>();
        int i = 0;
        for (JsonNode c : iterable(p.get("pluginConfig"))) {
            String name = pluginName(c, path + ".pluginConfig[" + i + "]");
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException(path + ".pluginConfig[" + i + "].name: unknown plugin " + name);
            }
            args.put(name, c.path("args"));
            i++;
        }
        Integer percentage = p.hasNonNull("percentageOfNodesToScore") ? p.get("percentageOfNodesToScore").asInt() : null;
        Profile profile = new Profile(schedulerName, List.copyOf(filters), scores, !postFilters.isEmpty(), percentage, args);
        instantiate(profile, new Random(0));
        return profile;
    }

    private static String pluginName(JsonNode node, String where) {
        String name = node.path("name").asText("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException(where + ".name: Required value");
        }
        return name;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : node;
    }

    public List<Profile> profiles() {
        return profiles;
    }

    public int percentageOfNodesToScore() {
        return percentageOfNodesToScore;
    }

    public long podInitialBackoffMillis() {
        return podInitialBackoffMillis;
    }

    public long podMaxBackoffMillis() {
        return podMaxBackoffMillis;
    }

    /** The frameworks of every profile, by schedulerName. */
    public Map<String, Framework> frameworks(Random random) {
        Map<String, Framework> frameworks = new LinkedHashMap<>();
        for (Profile p : profiles) {
            Framework f = instantiate(p, random);
            int percentage = p.percentageOfNodesToScore() != null ? p.percentageOfNodesToScore() : percentageOfNodesToScore;
            frameworks.put(p.schedulerName(), new Framework(p.schedulerName(), preFiltersOf(f), f.filters(), preScoresOf(f),
                    f.scorePlugins(), weightsOf(f), percentage, p.preemption(), random));
        }
        return frameworks;
    }

    /** The preemption settings of a profile. */
    public static DefaultPreemption preemption(Profile profile) {
        JsonNode args = profile.pluginArgs().get(DefaultPreemption.NAME);
        if (args == null) {
            return new DefaultPreemption();
        }
        return new DefaultPreemption(args.path("minCandidateNodesPercentage").asInt(10), args.path("minCandidateNodesAbsolute").asInt(100));
    }

    private static List<Plugins.PreFilter> preFiltersOf(Framework f) {
        List<Plugins.PreFilter> list = new ArrayList<>();
        for (Plugins.Filter filter : f.filters()) {
            if (filter instanceof Plugins.PreFilter pf) {
                list.add(pf);
            }
        }
        return list;
    }

    private static List<Plugins.PreScore> preScoresOf(Framework f) {
        List<Plugins.PreScore> list = new ArrayList<>();
        for (Plugins.Score score : f.scorePlugins()) {
            if (score instanceof Plugins.PreScore ps) {
                list.add(ps);
            }
        }
        return list;
    }

    private static int[] weightsOf(Framework f) {
        int[] w = new int[f.scorePlugins().size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = f.weight(f.scorePlugins().get(i));
        }
        return w;
    }

    /** Builds the plugin instances of a profile (one instance per name, shared across its extension points). */
    static Framework instantiate(Profile profile, Random random) {
        Map<String, Plugins.Plugin> instances = new HashMap<>();
        List<Plugins.Filter> filters = new ArrayList<>();
        for (String name : profile.filters()) {
            filters.add((Plugins.Filter) instances.computeIfAbsent(name, n -> create(n, profile.pluginArgs().get(n))));
        }
        List<Plugins.Score> scores = new ArrayList<>();
        int[] weights = new int[profile.scores().size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : profile.scores().entrySet()) {
            scores.add((Plugins.Score) instances.computeIfAbsent(e.getKey(), n -> create(n, profile.pluginArgs().get(n))));
            weights[i++] = e.getValue();
        }
        return new Framework(profile.schedulerName(), List.of(), filters, List.of(), scores, weights, 0, profile.preemption(), random);
    }

    static Plugins.Plugin create(String name, JsonNode args) {
        JsonNode a = args == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : args;
        return switch (name) {
            case NodeUnschedulable.NAME -> new NodeUnschedulable();
            case NodeName.NAME -> new NodeName();
            case TaintToleration.NAME -> new TaintToleration();
            case NodeAffinity.NAME -> new NodeAffinity();
            case NodePorts.NAME -> new NodePorts();
            case NodeResourcesFit.NAME -> nodeResourcesFit(a);
            case PodTopologySpread.NAME -> new PodTopologySpread();
            case InterPodAffinity.NAME -> new InterPodAffinity(a.path("hardPodAffinityWeight").asInt(1));
            case NodeResourcesBalancedAllocation.NAME -> new NodeResourcesBalancedAllocation(resources(a.get("resources"),
                    "pluginConfig[NodeResourcesBalancedAllocation].args.resources"));
            default -> throw new IllegalArgumentException("plugin " + name + " has no filter or score of its own");
        };
    }

    private static NodeResourcesFit nodeResourcesFit(JsonNode args) {
        JsonNode strategy = args.path("scoringStrategy");
        String type = strategy.path("type").asText("LeastAllocated");
        NodeResourcesFit.Strategy s = switch (type) {
            case "LeastAllocated" -> NodeResourcesFit.Strategy.LEAST_ALLOCATED;
            case "MostAllocated" -> NodeResourcesFit.Strategy.MOST_ALLOCATED;
            default -> throw new IllegalArgumentException("pluginConfig[NodeResourcesFit].args.scoringStrategy.type: "
                    + "supported values are LeastAllocated and MostAllocated, got " + type);
        };
        return new NodeResourcesFit(s, resources(strategy.get("resources"), "pluginConfig[NodeResourcesFit].args.scoringStrategy.resources"));
    }

    private static List<ResourceWeight> resources(JsonNode list, String where) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            return ResourceWeight.CPU_AND_MEMORY;
        }
        List<ResourceWeight> resources = new ArrayList<>();
        for (JsonNode r : list) {
            String name = r.path("name").asText("");
            int weight = r.path("weight").asInt(1);
            if (name.isEmpty() || weight <= 0) {
                throw new IllegalArgumentException(where + ": every resource needs a name and a positive weight");
            }
            resources.add(new ResourceWeight(name, weight));
        }
        return resources;
    }
}
