/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import aQute.bnd.header.Parameters;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The house rules of docs/architecture.md, checked on what the build made: each bundle's generated
 * {@code META-INF/MANIFEST.MF} and classes, and the main sources. Runs in {@code mvn verify} (the itests module builds
 * after every bundle) and names the bundle and package, or the file, that breaks a rule.
 */
public class ArchitectureRulesTest {

    /** The gateway's runtime: the hub never imports or contains these packages. */
    private static final Pattern GATEWAY_RUNTIME =
            Pattern.compile("org\\.outpost\\.(runtime|routing|upstream|deployment|twin|camel|shell|support)(\\..*)?");
    private static final Pattern HUB = Pattern.compile("org\\.outpost\\.hub(\\..*)?");
    /** Plain Java libraries (no services), that gateway and hub both import. */
    private static final Set<String> LIBRARIES = Set.of("org.outpost.api", "org.outpost.protocol",
            "org.outpost.commons", "org.outpost.manifest", "org.outpost.routelanguage", "org.outpost.configjson");
    private static final int MAX_LINES = 400;

    private static final Path ROOT = Path.of(System.getProperty("outpost.root", "..")).toAbsolutePath().normalize();
    private static final Map<String, BuiltBundle> BUNDLES = new TreeMap<>();

    /** A bundle as built: its symbolic name, folder, whether it is a sample module, its headers and packages. */
    record BuiltBundle(String name, Path dir, boolean module, Set<String> imports, Set<String> exports,
            Set<String> contains) {
    }

    @BeforeClass
    public static void readBuiltBundles() throws IOException {
        try (Stream<Path> manifests = Stream.concat(list(ROOT.resolve("bundles")), list(ROOT.resolve("bundles/modules")))
                .map(d -> d.resolve("target/classes/META-INF/MANIFEST.MF")).filter(Files::isRegularFile)) {
            for (Path mf : manifests.toList()) {
                BuiltBundle b = read(mf);
                BUNDLES.put(b.name(), b);
            }
        }
        assertThat(BUNDLES).as("bundles built under %s/bundles (run the build first)", ROOT)
                .containsKeys("org.outpost.api", "org.outpost.hub", "org.outpost.routing");
    }

    @Test
    public void theHubNeitherImportsNorContainsTheGatewaysRuntime() {
        Map<String, Set<String>> broken = new TreeMap<>();
        for (BuiltBundle b : bundles(n -> HUB.matcher(n).matches())) {
            Set<String> bad = new TreeSet<>();
            union(b.imports(), b.contains()).stream().filter(p -> GATEWAY_RUNTIME.matcher(p).matches())
                    .forEach(bad::add);
            if (!bad.isEmpty()) {
                broken.put(b.name(), bad);
            }
        }
        assertThat(broken).as("hub bundles with gateway runtime packages (import a library bundle instead, see"
                + " docs/architecture.md)").isEmpty();
    }

    @Test
    public void noGatewayOrSharedBundleImportsTheHub() {
        Map<String, Set<String>> broken = new TreeMap<>();
        for (BuiltBundle b : bundles(n -> !HUB.matcher(n).matches())) {
            Set<String> bad = b.imports().stream().filter(p -> HUB.matcher(p).matches())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!bad.isEmpty()) {
                broken.put(b.name(), bad);
            }
        }
        assertThat(broken).as("bundles outside the hub that import hub packages").isEmpty();
    }

    @Test
    public void modulesUseTheApiOnly() {
        Map<String, Set<String>> broken = new TreeMap<>();
        for (BuiltBundle b : BUNDLES.values()) {
            if (!b.module()) {
                continue;
            }
            Set<String> bad = b.imports().stream()
                    .filter(p -> p.startsWith("org.outpost.") && !p.startsWith("org.outpost.api."))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!bad.isEmpty()) {
                broken.put(b.name(), bad);
            }
        }
        assertThat(broken).as("sample modules that import Outpost packages other than org.outpost.api").isEmpty();
    }

    @Test
    public void librariesArePlainJavaAndDependOnLibrariesOnly() {
        Map<String, Set<String>> broken = new TreeMap<>();
        for (BuiltBundle b : bundles(LIBRARIES::contains)) {
            Set<String> bad = b.imports().stream()
                    .filter(p -> p.startsWith("org.osgi.framework") || p.startsWith("org.osgi.service.")
                            || p.startsWith("org.outpost.") && LIBRARIES.stream().noneMatch(
                                    l -> p.equals(l) || p.startsWith(l + ".")))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (b.name().equals("org.outpost.api")) {
                b.imports().stream().filter(p -> p.startsWith("org.outpost.") && !p.startsWith("org.outpost.api."))
                        .forEach(bad::add);
            }
            if (!bad.isEmpty()) {
                broken.put(b.name(), bad);
            }
        }
        assertThat(broken).as("library bundles that use OSGi services or runtime bundles (libraries are plain Java:"
                + " no services, usable without a framework)").isEmpty();
    }

    @Test
    public void internalPackagesStayPrivateAndEachPackageHasOneExporter() {
        Map<String, List<String>> exporters = new TreeMap<>();
        List<String> internal = new ArrayList<>();
        for (BuiltBundle b : BUNDLES.values()) {
            for (String p : b.exports()) {
                exporters.computeIfAbsent(p, k -> new ArrayList<>()).add(b.name());
                if (p.equals("internal") || p.contains(".internal")) {
                    internal.add(b.name() + " exports " + p);
                }
            }
        }
        assertThat(internal).as("exported internal packages").isEmpty();
        assertThat(exporters).as("packages exported by more than one bundle")
                .allSatisfy((p, by) -> assertThat(by).as(p).hasSize(1));
    }

    @Test
    public void noMainSourceFileIsLongerThan400LinesUnlessListedWithAReason() throws IOException {
        Map<String, String> allowed = longFileExceptions();
        Map<String, Long> tooLong = new TreeMap<>();
        List<String> stale = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("bundles"))) {
            for (Path f : files.filter(ArchitectureRulesTest::isMainJava).toList()) {
                String rel = ROOT.relativize(f).toString();
                long lines;
                try (Stream<String> s = Files.lines(f)) {
                    lines = s.count();
                }
                if (lines > MAX_LINES && !allowed.containsKey(rel)) {
                    tooLong.put(rel, lines);
                } else if (lines <= MAX_LINES && allowed.containsKey(rel)) {
                    stale.add(rel + " (" + lines + " lines)");
                }
            }
        }
        allowed.keySet().stream().filter(rel -> !Files.exists(ROOT.resolve(rel))).forEach(rel -> stale.add(rel
                + " (gone)"));
        assertThat(tooLong).as("main source files over %d lines: split them by job, or list one that is truly one"
                + " job in itests/src/test/resources/architecture/long-files.txt with a reason", MAX_LINES).isEmpty();
        assertThat(stale).as("long-files.txt lists files that are no longer long: take them off the list").isEmpty();
    }

    @Test
    public void everyBundleHasItsRowInTheArchitecturePage() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/architecture.md"));
        List<String> missing = BUNDLES.values().stream().filter(b -> !b.module())
                .filter(b -> !page.contains("| `" + b.name() + "` |")).map(BuiltBundle::name).toList();
        assertThat(missing).as("bundles without a row in docs/architecture.md's table (its one job, exports, imports)")
                .isEmpty();
    }

    private static boolean isMainJava(Path f) {
        String s = f.toString().replace('\\', '/');
        return s.endsWith(".java") && s.contains("/src/main/java/") && !s.contains("/target/");
    }

    /** {@code path reason...} per line; {@code #} starts a comment. */
    private static Map<String, String> longFileExceptions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = ArchitectureRulesTest.class.getResourceAsStream("/architecture/long-files.txt")) {
            assertThat(in).as("architecture/long-files.txt on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+", 2);
                assertThat(parts).as("long-files.txt: '%s' needs a path and a one-line reason", l).hasSize(2);
                out.put(parts[0], parts[1]);
            }
        }
        return out;
    }

    private static Stream<Path> list(Path dir) throws IOException {
        return Files.isDirectory(dir) ? Files.list(dir).filter(Files::isDirectory).sorted() : Stream.empty();
    }

    private static BuiltBundle read(Path manifestFile) throws IOException {
        Manifest mf;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            mf = new Manifest(in);
        }
        String name = new Parameters(mf.getMainAttributes().getValue("Bundle-SymbolicName")).keySet().iterator()
                .next();
        Path dir = manifestFile.getParent().getParent().getParent().getParent();
        Path classes = manifestFile.getParent().getParent();
        Set<String> contains = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class")).map(f -> classes.relativize(f.getParent()).toString()
                    .replace('/', '.').replace('\\', '.')).forEach(contains::add);
        }
        return new BuiltBundle(name, dir, dir.getParent().getFileName().toString().equals("modules"),
                packages(mf, "Import-Package"), packages(mf, "Export-Package"), contains);
    }

    private static Set<String> packages(Manifest mf, String header) {
        String value = mf.getMainAttributes().getValue(header);
        return value == null ? Set.of() : new TreeSet<>(new Parameters(value).keySet());
    }

    private static List<BuiltBundle> bundles(java.util.function.Predicate<String> name) {
        return BUNDLES.values().stream().filter(b -> name.test(b.name())).toList();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }
}
