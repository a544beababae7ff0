package io.kronika.gateway.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kronika.gateway.api.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Mutations of valid seed requests, each built so that the result is invalid (a request Kubernetes refuses): broken
 * JSON and YAML, wrong types at typed fields, huge fields, deep nesting, invalid UTF-8, path tricks in names, header
 * abuse and slow bodies. Deterministic for a given seed.
 */
final class HostileRequests {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] PATH_TRICKS = {"..", "%2e%2e", "%2E%2E", "..%2f..%2fsecrets", "%2e%2e%2fsecrets", "a%00b", "%00",
            "a%2fb", ".", "%2e", "..;", "a/../../secrets", "..%5c..", "%252e%252e", "a%20b", "%c0%ae%c0%ae", "%ff", "a?b=c/d",
            "ÄÖÜ", "a\\b", "%u002e%u002e", "con", "-start", "UPPER", "a_b", "a..b"};

    private final Random random;
    private final String namespace;
    private final List<Seed> seeds;

    /** A valid request: where it goes, its body as a tree, and the paths of typed fields in it. */
    record Seed(String collection, ObjectNode body, List<String[]> typedFields) {
    }

    HostileRequests(long seed, String namespace) {
        this.random = new Random(seed);
        this.namespace = namespace;
        this.seeds = seeds(namespace);
    }

    private static List<Seed> seeds(String ns) {
        String core = "/api/v1/namespaces/" + ns + "/";
        return List.of(
                new Seed(core + "configmaps", Json.object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\","
                        + "\"labels\":{\"app\":\"web\"}},\"data\":{\"key\":\"value\"}}"),
                        List.of(new String[]{"metadata", "name"}, new String[]{"metadata", "labels"}, new String[]{"data"},
                                new String[]{"data", "key"}, new String[]{"metadata"}, new String[]{"metadata", "labels", "app"})),
                new Seed(core + "secrets", Json.object("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},"
                        + "\"type\":\"Opaque\",\"data\":{\"password\":\"aHVudGVyMg==\"}}"),
                        List.of(new String[]{"metadata", "name"}, new String[]{"data"}, new String[]{"data", "password"}, new String[]{"type"})),
                new Seed(core + "pods", Json.object("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}]}]}}"),
                        List.of(new String[]{"spec", "containers"}, new String[]{"spec"}, new String[]{"metadata", "name"},
                                new String[]{"spec", "containers", "0", "image"}, new String[]{"spec", "containers", "0", "ports", "0", "containerPort"},
                                new String[]{"spec", "containers", "0"})),
                new Seed(core + "services", Json.object("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"svc\"},"
                        + "\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"targetPort\":8080}]}}"),
                        List.of(new String[]{"spec", "ports"}, new String[]{"spec", "ports", "0", "port"}, new String[]{"spec", "selector"},
                                new String[]{"spec"})),
                new Seed("/apis/apps/v1/namespaces/" + ns + "/deployments", Json.object("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                        + "\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}}}"),
                        List.of(new String[]{"spec", "replicas"}, new String[]{"spec", "selector"}, new String[]{"spec", "template"},
                                new String[]{"spec", "template", "spec", "containers"}, new String[]{"metadata", "name"})));
    }

    FuzzRequest next() {
        Seed seed = seeds.get(random.nextInt(seeds.size()));
        List<Supplier<FuzzRequest>> kinds = List.of(
                () -> truncatedJson(seed), () -> controlCharacter(seed), () -> wrongType(seed), () -> wrongType(seed),
                () -> invalidUtf8InName(seed), () -> invalidUtf8Anywhere(seed), () -> hugeName(seed), () -> hugeAnnotations(seed),
                () -> deepNestingInTypedField(seed), () -> deepNestingBeyondTheParserLimit(seed), () -> brokenYaml(seed),
                () -> pathTrick(seed), () -> pathTrick(seed), () -> badContentType(seed), () -> brokenPatch(seed),
                () -> headerAbuse(seed), () -> wrongKindForPath(seed));
        int pick = random.nextInt(kinds.size() + 2);
        if (pick == kinds.size()) {
            return random.nextInt(20) == 0 ? hugeBody(seed) : truncatedJson(seed).slow(2 + random.nextInt(3));
        }
        if (pick == kinds.size() + 1) {
            return brokenJsonAsUpdate(seed);
        }
        return kinds.get(pick).get();
    }

    private byte[] bytes(JsonNode node) {
        return Json.write(node).getBytes(StandardCharsets.UTF_8);
    }

    private FuzzRequest truncatedJson(Seed seed) {
        byte[] body = bytes(seed.body());
        int cut = 1 + random.nextInt(body.length - 2);
        return FuzzRequest.of("truncated JSON", "POST", seed.collection(), "application/json", java.util.Arrays.copyOf(body, cut));
    }

    private FuzzRequest controlCharacter(Seed seed) {
        byte[] body = bytes(seed.body());
        int at = random.nextInt(body.length + 1);
        byte control = (byte) (1 + random.nextInt(8));
        return FuzzRequest.of("raw control character", "POST", seed.collection(), "application/json", insert(body, at, new byte[]{control}));
    }

    private FuzzRequest wrongType(Seed seed) {
        ObjectNode body = seed.body().deepCopy();
        String[] path = seed.typedFields().get(random.nextInt(seed.typedFields().size()));
        JsonNode current = at(body, path);
        JsonNode wrong = wrongValueFor(current);
        set(body, path, wrong);
        return FuzzRequest.of("wrong type at " + String.join(".", path), "POST", seed.collection(), "application/json", bytes(body));
    }

    private JsonNode wrongValueFor(JsonNode current) {
        List<JsonNode> options = new ArrayList<>();
        if (!current.isTextual()) {
            options.add(NODES.textNode(random.nextBoolean() ? "text" : ""));
        }
        if (!current.isNumber()) {
            options.add(random.nextBoolean() ? NODES.numberNode(random.nextInt()) : NODES.numberNode(random.nextDouble()));
        }
        if (!current.isArray()) {
            options.add(NODES.arrayNode().add(1).add("x"));
        }
        if (!current.isObject()) {
            options.add(NODES.objectNode().put("unexpected", true));
        }
        if (!current.isBoolean()) {
            options.add(NODES.booleanNode(random.nextBoolean()));
        }
        return options.get(random.nextInt(options.size()));
    }

    private FuzzRequest invalidUtf8InName(Seed seed) {
        ObjectNode body = seed.body().deepCopy();
        ((ObjectNode) body.get("metadata")).put("name", "PLACEHOLDER");
        byte[] text = bytes(body);
        byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        return FuzzRequest.of("invalid UTF-8 in the name", "POST", seed.collection(), "application/json",
                replace(text, "PLACEHOLDER".getBytes(StandardCharsets.UTF_8), concat("ab".getBytes(StandardCharsets.UTF_8), invalid[random.nextInt(invalid.length)])));
    }

    private FuzzRequest invalidUtf8Anywhere(Seed seed) {
        byte[] body = bytes(seed.body());
        return FuzzRequest.of("invalid UTF-8 byte", "POST", seed.collection(), "application/json",
                insert(body, random.nextInt(body.length + 1), new byte[]{(byte) (0xF8 + random.nextInt(8))}));
    }

    private FuzzRequest hugeName(Seed seed) {
        ObjectNode body = seed.body().deepCopy();
        int length = 254 + random.nextInt(200_000);
        ((ObjectNode) body.get("metadata")).put("name", "a".repeat(length));
        return FuzzRequest.of("huge name (" + length + ")", "POST", seed.collection(), "application/json", bytes(body));
    }

    private FuzzRequest hugeAnnotations(Seed seed) {
        ObjectNode body = seed.body().deepCopy();
        ((ObjectNode) body.get("metadata")).putObject("annotations").put("big", "x".repeat(256 * 1024 + random.nextInt(1024 * 1024)));
        return FuzzRequest.of("annotations over 256 KiB", "POST", seed.collection(), "application/json", bytes(body));
    }

    private FuzzRequest hugeBody(Seed seed) {
        ObjectNode body = seed.body().deepCopy();
        ((ObjectNode) body.get("metadata")).putObject("annotations").put("big", "x".repeat(3 * 1024 * 1024 + random.nextInt(1024 * 1024)));
        return FuzzRequest.of("body over 3 MiB", "POST", seed.collection(), "application/json", bytes(body));
    }

    private FuzzRequest deepNestingInTypedField(Seed seed) {
        int depth = 2 + random.nextInt(3000);
        String[] path = seed.typedFields().get(random.nextInt(seed.typedFields().size()));
        String placeholder = "\"DEEP-PLACEHOLDER\"";
        ObjectNode body = seed.body().deepCopy();
        set(body, path, NODES.textNode("DEEP-PLACEHOLDER"));
        String nested = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        // A nested value where a string, number or flat map belongs.
        if (at(seed.body(), path).isArray() || at(seed.body(), path).isObject()) {
            nested = "[".repeat(depth) + "\"x\"" + "]".repeat(depth);
            if (!at(seed.body(), path).isArray()) {
                nested = "[" + nested + "]";
            } else {
                nested = "[[" + nested + "]]";
            }
        }
        return FuzzRequest.of("nesting " + depth + " deep at " + String.join(".", path), "POST", seed.collection(), "application/json",
                Json.write(body).replace(placeholder, nested).getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest deepNestingBeyondTheParserLimit(Seed seed) {
        int depth = 1_001 + random.nextInt(100_000);
        String text = Json.write(seed.body());
        String nested = "\"x\":" + "[".repeat(depth) + "]".repeat(depth) + ",";
        return FuzzRequest.of("nesting " + depth + " deep", "POST", seed.collection(), "application/json",
                ("{" + nested + text.substring(1)).getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest brokenYaml(Seed seed) {
        String name = Json.text(seed.body().get("metadata"), "name");
        String kind = seed.body().get("kind").asText();
        String apiVersion = seed.body().get("apiVersion").asText();
        String[] broken = {
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: \"" + name + "\n  labels: {a: b\n",
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n\tname: " + name + "\n",
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: : :\n",
                // billion laughs where a string map belongs
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n  labels:\n"
                        + "    a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                        + "    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                        + "    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n    h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: [" + name + "\n",
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: !!binary " + name + "\n  labels: !!python/object:os.system x\n",
                "- - - - - - - -\n" + "  ".repeat(50) + "x: [\n",
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: *undefined\n",
                "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n  bad: - indent\n- x\n",
                "%YAML 9.9\n---\nkind: " + kind + "\n",
        };
        String yaml = broken[random.nextInt(broken.length)];
        return FuzzRequest.of("broken YAML", "POST", seed.collection(), random.nextBoolean() ? "application/yaml" : "application/yaml; charset=utf-8",
                yaml.getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest pathTrick(Seed seed) {
        String trick = PATH_TRICKS[random.nextInt(PATH_TRICKS.length)];
        String[] methods = {"GET", "PUT", "PATCH", "DELETE", "POST"};
        String method = methods[random.nextInt(methods.length)];
        String path = seed.collection() + "/" + trick + (random.nextInt(4) == 0 ? "/status" : "");
        ObjectNode body = seed.body().deepCopy();
        ((ObjectNode) body.get("metadata")).put("name", java.net.URLDecoder.decode(trick.replace("+", "%2B").replace("%u", "u"), StandardCharsets.UTF_8));
        byte[] content = method.equals("GET") || method.equals("DELETE") ? null : bytes(body);
        String type = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
        if (method.equals("GET") && trick.equals(".")) {
            path = seed.collection() + "/%2e/x"; // "/." alone would be the collection itself
        }
        return FuzzRequest.of("path trick " + trick, method, path.replace(" ", "%20").replace("\\", "%5C"), content == null ? null : type, content);
    }

    private FuzzRequest badContentType(Seed seed) {
        String[] types = {"application/xml", "text/plain", "application/json-patch+json; version=x", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", ";;;", "application/vnd.kubernetes.protobuf", "*/*", "application/octet-stream",
                "application/" + "x".repeat(5000)};
        String type = types[random.nextInt(types.length)];
        byte[] body = type.contains("protobuf") ? new byte[]{0x6b, 0x38, 0x73, 0x00, 0x0a, (byte) 0xff, (byte) 0xff, 0x01} : bytes(seed.body());
        return FuzzRequest.of("content type " + (type.length() > 40 ? type.substring(0, 40) + "…" : type), "POST", seed.collection(), type, body);
    }

    private FuzzRequest brokenPatch(Seed seed) {
        String[][] patches = {
                {"application/merge-patch+json", "{\"metadata\":"},
                {"application/merge-patch+json", "{\"metadata\":{\"name\":5}}"},
                {"application/merge-patch+json", "[1,2,3]"},
                {"application/strategic-merge-patch+json", "{\"metadata\":{\"labels\":[\"x\"]}}"},
                {"application/strategic-merge-patch+json", "{\"$patch\":\"explode\"}"},
                {"application/json-patch+json", "[{\"op\":\"move\",\"from\":\"/nope\",\"path\":\"/x\"}]"},
                {"application/json-patch+json", "[{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"not-it\"}]"},
                {"application/json-patch+json", "{\"op\":\"add\"}"},
                {"application/json-patch+json", "[{\"op\":\"replace\",\"path\":\"/metadata/name\",\"value\":{\"x\":1}}]"},
                {"application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/metadata/labels/" + "~2".repeat(3) + "\",\"value\":1}]"},
                {"application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: [\n"},
                {"application/json", "{}"},
        };
        String[] patch = patches[random.nextInt(patches.length)];
        String query = patch[0].equals("application/apply-patch+yaml") ? "?fieldManager=fuzz" : "";
        return FuzzRequest.of("broken patch " + patch[0], "PATCH", seed.collection() + "/existing" + query, patch[0],
                patch[1].getBytes(StandardCharsets.UTF_8));
    }

    private FuzzRequest brokenJsonAsUpdate(Seed seed) {
        FuzzRequest truncated = truncatedJson(seed);
        return FuzzRequest.of("truncated JSON update", "PUT", seed.collection() + "/existing", "application/json", truncated.body());
    }

    private FuzzRequest wrongKindForPath(Seed seed) {
        ObjectNode body = seed.body().deepCopy();
        String[][] wrong = {{"v1", "Namespace"}, {"v2", seed.body().get("kind").asText()}, {"apps/v1", "ConfigMapp"}};
        // (Empty apiVersion and kind are not wrong: Kubernetes takes them from the path, and so does the gateway.)
        String[] pick = wrong[random.nextInt(wrong.length)];
        body.put("apiVersion", pick[0]).put("kind", pick[1]);
        return FuzzRequest.of("kind " + pick[1] + " " + pick[0] + " at " + seed.collection(), "POST", seed.collection(), "application/json", bytes(body));
    }

    private FuzzRequest headerAbuse(Seed seed) {
        String path = seed.collection();
        String body = Json.write(seed.body());
        String json = "Content-Type: application/json\r\n";
        String[] heads = {
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "X-Huge: " + "h".repeat(70 * 1024) + "\r\nContent-Length: 2\r\n\r\n{}",
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "Content-Length: abc\r\n\r\n" + body,
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "Content-Length: -5\r\n\r\n" + body,
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n" + body,
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\n{\"a\":\r\n0\r\n\r\n",
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "Content-Length: 10\r\nConnection: close\r\n\r\n" + body,
                "GET " + "/api/v1/namespaces/" + namespace + "/configmaps/" + "a".repeat(70 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + json + "X-Bad\u0000Header: v\r\nContent-Length: 2\r\n\r\n{]",
                "BREW " + path + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST " + path + " HTTP/9.9\r\nHost: x\r\n\r\n",
                "POST " + path + "\r\n\r\n",
                "POST " + path + " HTTP/1.1\r\n" + "X-Many: 1\r\n".repeat(8000) + json + "Content-Length: 2\r\n\r\n{]",
                "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=\u00ff\u00fe\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{]",
        };
        int pick = random.nextInt(heads.length);
        // Heads 6 and 13 are well-formed (the gateway answers); the others are malformed HTTP the codec refuses.
        boolean protocolLevel = pick != 6 && pick != 13;
        return FuzzRequest.raw("header abuse " + pick, heads[pick].getBytes(StandardCharsets.ISO_8859_1), protocolLevel);
    }

    private static JsonNode at(JsonNode root, String[] path) {
        JsonNode node = root;
        for (String step : path) {
            node = node.isArray() ? node.get(Integer.parseInt(step)) : node.get(step);
        }
        return node;
    }

    private static void set(JsonNode root, String[] path, JsonNode value) {
        JsonNode parent = at(root, java.util.Arrays.copyOf(path, path.length - 1));
        String last = path[path.length - 1];
        if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(last), value);
        } else {
            ((ObjectNode) parent).set(last, value);
        }
    }

    private static byte[] insert(byte[] body, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(what);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return insert(a, a.length, b);
    }

    private static byte[] replace(byte[] body, byte[] what, byte[] with) {
        String marker = new String(what, StandardCharsets.ISO_8859_1);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.writeBytes(with);
        out.write(body, at + what.length, body.length - at - what.length);
        return out.toByteArray();
    }
}
