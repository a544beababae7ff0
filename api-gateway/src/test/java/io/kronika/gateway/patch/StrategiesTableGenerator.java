package io.kronika.gateway.patch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Regenerates {@code src/main/resources/kronika/patch/strategies.json}: the strategic-merge-patch metadata of every
 * built-in kind, read from the Go struct tags ({@code patchStrategy}, {@code patchMergeKey}) and json tags of the
 * Kubernetes API types. kube-apiserver itself takes SMP metadata of built-in kinds from exactly these struct tags
 * (strategicpatch.NewPatchMetaFromStruct), so the table mirrors the server, field for field.
 *
 * <p>Usage (JDK only, no build needed; see the README beside strategies.json):
 * <pre>
 * java api-gateway/src/test/java/io/kronika/gateway/patch/StrategiesTableGenerator.java \
 *     API_DIR APIMACHINERY_DIR APIEXTENSIONS_DIR VERSION_LABEL > api-gateway/src/main/resources/kronika/patch/strategies.json
 * </pre>
 * where the three directories are checkouts of kubernetes/api, kubernetes/apimachinery and
 * kubernetes/apiextensions-apiserver at the same tag (e.g. v0.32.13 = Kubernetes 1.32.13).
 *
 * <p>This is a plain text scan of gofmt-formatted Go declarations ({@code type X struct { ... }} and
 * {@code type X <underlying>}); it reads no code beyond those declarations and builds nothing.
 */
public final class StrategiesTableGenerator {
    private static final Pattern TYPE_DECL = Pattern.compile("^type\\s+(\\w+)\\s+(=\\s*)?(.+?)\\s*$");
    private static final Pattern IMPORT_LINE = Pattern.compile("^\\s*(?:(\\w+|_|\\.)\\s+)?\"([^\"]+)\"\\s*$");
    private static final Pattern SINGLE_IMPORT = Pattern.compile("^import\\s+(?:(\\w+)\\s+)?\"([^\"]+)\"\\s*$");
    private static final Pattern FIELD = Pattern.compile("^([A-Za-z_]\\w*(?:\\s*,\\s*[A-Za-z_]\\w*)*)\\s+([^`]+?)\\s*(`[^`]*`)?\\s*$");
    private static final Pattern EMBEDDED = Pattern.compile("^(\\*?[A-Za-z_][\\w.]*)\\s*(`[^`]*`)?\\s*$");
    private static final Pattern GROUP_NAME = Pattern.compile("const\\s+GroupName\\s*=\\s*\"([^\"]*)\"");
    private static final Set<String> SCALARS = Set.of("string", "bool", "int", "int8", "int16", "int32", "int64", "uint",
            "uint8", "uint16", "uint32", "uint64", "float32", "float64", "byte", "rune", "interface{}", "any");

    /** A struct or named non-struct type in a package ("core/v1"). */
    private record GoType(String pkg, String name, boolean struct, String underlying, List<Field> fields, Map<String, String> imports) {
    }

    private record Field(String goName, boolean embedded, String type, String tag) {
    }

    private final Map<String, GoType> types = new TreeMap<>();        // "pkg.Name" → type
    private final Map<String, String> importPathToPkg = new LinkedHashMap<>();
    private final Map<String, String> groupOfPkg = new TreeMap<>();

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: StrategiesTableGenerator API_DIR APIMACHINERY_DIR APIEXTENSIONS_DIR VERSION_LABEL");
            System.exit(2);
        }
        StrategiesTableGenerator g = new StrategiesTableGenerator();
        Path api = Path.of(args[0]);
        try (Stream<Path> groups = Files.list(api)) {
            for (Path group : groups.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> versions = Files.list(group)) {
                    for (Path version : versions.filter(Files::isDirectory).sorted().toList()) {
                        if (!version.getFileName().toString().matches("v\\d+((alpha|beta)\\d+)?")) {
                            continue;
                        }
                        String pkg = group.getFileName() + "/" + version.getFileName();
                        g.importPathToPkg.put("k8s.io/api/" + pkg, pkg);
                        g.scanPackage(version, pkg, true);
                    }
                }
            }
        }
        Path machinery = Path.of(args[1]);
        g.importPathToPkg.put("k8s.io/apimachinery/pkg/apis/meta/v1", "meta/v1");
        g.scanPackage(machinery.resolve("pkg/apis/meta/v1"), "meta/v1", false);
        Path ext = Path.of(args[2]);
        g.importPathToPkg.put("k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1", "apiextensions/v1");
        g.scanPackage(ext.resolve("pkg/apis/apiextensions/v1"), "apiextensions/v1", true);
        g.addWellKnownLeaves();
        System.out.print(g.render(args[3]));
    }

    /** Types of apimachinery's leaf packages that API structs use; their Go struct shapes as reflection sees them. */
    private void addWellKnownLeaves() {
        importPathToPkg.put("k8s.io/apimachinery/pkg/api/resource", "resource");
        importPathToPkg.put("k8s.io/apimachinery/pkg/util/intstr", "intstr");
        importPathToPkg.put("k8s.io/apimachinery/pkg/runtime", "runtime");
        importPathToPkg.put("k8s.io/apimachinery/pkg/types", "types");
        importPathToPkg.put("time", "time");
        // resource.Quantity: unexported fields plus the exported Format (no json tag → json name "Format").
        types.put("resource.Quantity", new GoType("resource", "Quantity", true, null,
                List.of(new Field("Format", false, "string", "")), Map.of()));
        types.put("intstr.IntOrString", new GoType("intstr", "IntOrString", true, null,
                List.of(new Field("Type", false, "int64", ""), new Field("IntVal", false, "int32", ""),
                        new Field("StrVal", false, "string", "")), Map.of()));
        // runtime.RawExtension: Raw and Object are both json:"-".
        types.put("runtime.RawExtension", new GoType("runtime", "RawExtension", true, null, List.of(), Map.of()));
        types.put("types.UID", new GoType("types", "UID", false, "string", List.of(), Map.of()));
        types.put("types.NodeName", new GoType("types", "NodeName", false, "string", List.of(), Map.of()));
        types.put("time.Time", new GoType("time", "Time", true, null, List.of(), Map.of()));
        types.put("time.Duration", new GoType("time", "Duration", false, "int64", List.of(), Map.of()));
    }

    private void scanPackage(Path dir, String pkg, boolean group) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".go") && !n.endsWith("_test.go") && !n.startsWith("generated") && !n.startsWith("zz_generated");
            }).sorted().toList();
        }
        for (Path file : files) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (group) {
                Matcher m = GROUP_NAME.matcher(text);
                if (m.find()) {
                    groupOfPkg.put(pkg, m.group(1));
                }
            }
            scanFile(text, pkg);
        }
    }

    private void scanFile(String text, String pkg) {
        String[] lines = text.replaceAll("(?s)/\\*.*?\\*/", "").split("\n", -1);
        Map<String, String> imports = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            Matcher single = SINGLE_IMPORT.matcher(line);
            if (single.matches()) {
                imports.put(single.group(1) != null ? single.group(1) : last(single.group(2)), single.group(2));
                continue;
            }
            if (line.equals("import (")) {
                for (i++; i < lines.length && !stripComment(lines[i]).strip().equals(")"); i++) {
                    Matcher m = IMPORT_LINE.matcher(stripComment(lines[i]));
                    if (m.matches()) {
                        imports.put(m.group(1) != null ? m.group(1) : last(m.group(2)), m.group(2));
                    }
                }
                continue;
            }
            if (!lines[i].startsWith("type ")) {
                continue;
            }
            Matcher decl = TYPE_DECL.matcher(line);
            if (!decl.matches()) {
                continue;
            }
            String name = decl.group(1);
            String rest = decl.group(3);
            if (rest.equals("struct {")) {
                List<Field> fields = new ArrayList<>();
                for (i++; i < lines.length && !lines[i].startsWith("}"); i++) {
                    String f = stripComment(lines[i]).strip();
                    if (f.isEmpty()) {
                        continue;
                    }
                    Matcher fm = FIELD.matcher(f);
                    Matcher em = EMBEDDED.matcher(f);
                    if (em.matches() && !f.contains(" ") || em.matches() && em.group(2) != null && !fm.matches()) {
                        fields.add(new Field(null, true, em.group(1), em.group(2) == null ? "" : em.group(2)));
                    } else if (fm.matches()) {
                        for (String n : fm.group(1).split("\\s*,\\s*")) {
                            fields.add(new Field(n, false, fm.group(2), fm.group(3) == null ? "" : fm.group(3)));
                        }
                    } else if (em.matches()) {
                        fields.add(new Field(null, true, em.group(1), em.group(2) == null ? "" : em.group(2)));
                    } else {
                        throw new IllegalStateException("cannot parse field of " + pkg + "." + name + ": " + f);
                    }
                }
                types.put(pkg + "." + name, new GoType(pkg, name, true, null, fields, Map.copyOf(imports)));
            } else if (rest.equals("struct{}")) {
                types.put(pkg + "." + name, new GoType(pkg, name, true, null, List.of(), Map.copyOf(imports)));
            } else if (!rest.startsWith("interface") && !rest.startsWith("func")) {
                types.put(pkg + "." + name, new GoType(pkg, name, false, rest, List.of(), Map.copyOf(imports)));
            }
        }
    }

    private static String stripComment(String line) {
        // Struct tags contain no "//", and comments in type declarations are always line comments.
        int backtick = line.indexOf('`');
        int comment = line.indexOf("//");
        if (comment >= 0 && (backtick < 0 || comment < backtick || comment > line.lastIndexOf('`'))) {
            return line.substring(0, comment);
        }
        return line;
    }

    private static String last(String importPath) {
        return importPath.substring(importPath.lastIndexOf('/') + 1);
    }

    /** Resolves a Go type expression, as written in {@code pkg}, to the table's notation. */
    private String resolve(String expr, GoType ctx) {
        expr = expr.strip();
        if (expr.startsWith("*")) {
            return "*" + resolve(expr.substring(1), ctx);
        }
        if (expr.startsWith("[]")) {
            return "[]" + resolve(expr.substring(2), ctx);
        }
        if (expr.startsWith("map[")) {
            int depth = 0;
            int end = -1;
            for (int i = 3; i < expr.length(); i++) {
                char c = expr.charAt(i);
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                    if (depth == 0) {
                        end = i;
                        break;
                    }
                }
            }
            return "map[" + resolve(expr.substring(4, end), ctx) + "]" + resolve(expr.substring(end + 1), ctx);
        }
        if (SCALARS.contains(expr)) {
            return switch (expr) {
                case "byte" -> "uint8";
                case "rune" -> "int32";
                case "any" -> "interface{}";
                default -> expr;
            };
        }
        String key;
        int dot = expr.indexOf('.');
        if (dot >= 0) {
            String alias = expr.substring(0, dot);
            String path = ctx.imports().get(alias);
            String target = path == null ? null : importPathToPkg.get(path);
            if (target == null) {
                throw new IllegalStateException("unknown import " + alias + " in " + ctx.pkg() + "." + ctx.name() + " (" + path + ")");
            }
            key = target + "." + expr.substring(dot + 1);
        } else {
            key = ctx.pkg() + "." + expr;
        }
        GoType t = types.get(key);
        if (t == null) {
            throw new IllegalStateException("unknown type " + key + " used in " + ctx.pkg() + "." + ctx.name());
        }
        if (!t.struct()) {
            return resolve(t.underlying(), t);
        }
        return key;
    }

    private static String tagValue(String tag, String key) {
        Matcher m = Pattern.compile("(?:^|[`\\s])" + Pattern.quote(key) + ":\"([^\"]*)\"").matcher(tag);
        return m.find() ? m.group(1) : null;
    }

    /** JSON fields of a struct as encoding/json sees them: embedded structs without a json name are flattened. */
    private Map<String, Map<String, String>> jsonFields(String key, Deque<String> stack) {
        GoType t = types.get(key);
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (stack.contains(key)) {
            return out;
        }
        stack.push(key);
        for (Field f : t.fields()) {
            String json = tagValue(f.tag(), "json");
            String jsonName = json == null ? null : json.split(",", -1)[0];
            if ("-".equals(jsonName)) {
                continue;
            }
            String goName = f.embedded() ? f.type().replaceFirst("^\\*", "").replaceFirst("^.*\\.", "") : f.goName();
            if (!Character.isUpperCase(goName.charAt(0))) {
                continue;
            }
            String type = resolve(f.type(), t);
            if (f.embedded() && (jsonName == null || jsonName.isEmpty())) {
                String structKey = type.replaceFirst("^\\*", "");
                if (types.containsKey(structKey) && types.get(structKey).struct()) {
                    for (Map.Entry<String, Map<String, String>> e : jsonFields(structKey, stack).entrySet()) {
                        out.putIfAbsent(e.getKey(), e.getValue());
                    }
                    continue;
                }
            }
            String name = jsonName == null || jsonName.isEmpty() ? goName : jsonName;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("t", type);
            String strategy = tagValue(f.tag(), "patchStrategy");
            String mergeKey = tagValue(f.tag(), "patchMergeKey");
            if (strategy != null && !strategy.isEmpty()) {
                meta.put("s", strategy);
            }
            if (mergeKey != null && !mergeKey.isEmpty()) {
                meta.put("k", mergeKey);
            }
            out.put(name, meta);
        }
        stack.pop();
        return out;
    }

    private static int versionRank(String version) {
        // Kubernetes version priority: GA (higher major first) > beta > alpha.
        Matcher m = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?").matcher(version);
        if (!m.matches()) {
            return -1;
        }
        int major = Integer.parseInt(m.group(1));
        int stage = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return stage * 1_000_000 + major * 1000 + minor;
    }

    private String render(String label) {
        // Kinds: structs with TypeMeta embedded and `metadata` of type ObjectMeta, in served API groups.
        Map<String, String> kinds = new TreeMap<>();
        Map<String, Integer> rank = new TreeMap<>();
        for (GoType t : types.values()) {
            if (!t.struct() || !groupOfPkg.containsKey(t.pkg())) {
                continue;
            }
            String group = groupOfPkg.get(t.pkg());
            if (group.equals("extensions")) {
                continue; // extensions/v1beta1 is no longer served
            }
            boolean typeMeta = t.fields().stream().anyMatch(f -> f.embedded() && f.type().endsWith("TypeMeta"));
            boolean objectMeta = t.fields().stream().anyMatch(f -> f.type().endsWith("ObjectMeta")
                    && "metadata".equals(String.valueOf(tagValue(f.tag(), "json")).split(",")[0]));
            if (!typeMeta || !objectMeta) {
                continue;
            }
            String kindKey = group + "/" + t.name();
            int r = versionRank(t.pkg().substring(t.pkg().indexOf('/') + 1));
            if (!rank.containsKey(kindKey) || rank.get(kindKey) < r) {
                rank.put(kindKey, r);
                kinds.put(kindKey, t.pkg() + "." + t.name());
            }
        }
        // Reachable struct types.
        Map<String, Map<String, Map<String, String>>> out = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>(new TreeSet<>(kinds.values()));
        while (!todo.isEmpty()) {
            String key = todo.pop();
            if (out.containsKey(key)) {
                continue;
            }
            Map<String, Map<String, String>> fields = jsonFields(key, new ArrayDeque<>());
            out.put(key, fields);
            for (Map<String, String> meta : fields.values()) {
                for (String ref : referencedStructs(meta.get("t"))) {
                    if (!out.containsKey(ref)) {
                        todo.push(ref);
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"_comment\": \"GENERATED by StrategiesTableGenerator (api-gateway/src/test/java/io/kronika/gateway/patch) from the Go struct tags")
                .append(" of kubernetes/api, kubernetes/apimachinery (meta/v1) and kubernetes/apiextensions-apiserver (apiextensions/v1) at ")
                .append(label).append(". No upstream OpenAPI of Kubernetes 1.32 is shipped by a package on this project's registries,")
                .append(" and kube-apiserver reads SMP metadata of built-in kinds from these struct tags. Do not edit by hand: see README.md.\",\n");
        sb.append("  \"source\": ").append(quote(label)).append(",\n");
        sb.append("  \"kinds\": {\n");
        appendEntries(sb, kinds.entrySet().stream().map(e -> "    " + quote(e.getKey()) + ": " + quote(e.getValue())).toList());
        sb.append("  },\n  \"types\": {\n");
        List<String> typeLines = new ArrayList<>();
        for (Map.Entry<String, Map<String, Map<String, String>>> e : out.entrySet()) {
            List<String> fl = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> f : e.getValue().entrySet()) {
                Map<String, String> meta = f.getValue();
                if (meta.size() == 1) {
                    fl.add(quote(f.getKey()) + ": " + quote(meta.get("t")));
                } else {
                    StringBuilder m = new StringBuilder("{");
                    meta.forEach((k, v) -> m.append(m.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(quote(v)));
                    fl.add(quote(f.getKey()) + ": " + m.append("}"));
                }
            }
            typeLines.add("    " + quote(e.getKey()) + ": {" + String.join(", ", fl) + "}");
        }
        appendEntries(sb, typeLines);
        sb.append("  }\n}\n");
        return sb.toString();
    }

    private List<String> referencedStructs(String type) {
        List<String> refs = new ArrayList<>();
        String t = type;
        while (true) {
            if (t.startsWith("*")) {
                t = t.substring(1);
            } else if (t.startsWith("[]")) {
                t = t.substring(2);
            } else if (t.startsWith("map[")) {
                int end = t.indexOf(']');
                t = t.substring(end + 1);
            } else {
                break;
            }
        }
        if (types.containsKey(t) && types.get(t).struct()) {
            refs.add(t);
        }
        return refs;
    }

    private static void appendEntries(StringBuilder sb, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            sb.append(lines.get(i)).append(i + 1 < lines.size() ? ",\n" : "\n");
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
