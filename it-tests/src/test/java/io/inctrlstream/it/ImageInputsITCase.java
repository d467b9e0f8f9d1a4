package io.inctrlstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The container builds of deploy/image find their inputs: every file or folder a Dockerfile {@code
 * COPY}s from the build context (the repository root, ARG defaults applied) exists after the
 * package phase; the job jar has its main class and the reporter jar its factory; the Flink base
 * image is the version the project builds against. No container engine runs here, so the images
 * themselves are not built (deploy/image/README.md).
 */
class ImageInputsITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path IMAGES = ROOT.resolve("deploy").resolve("image");
    private static final Pattern ARG = Pattern.compile("^ARG\\s+(\\w+)=(\\S+)$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    @Test
    void everyFileTheDockerfilesCopyIsBuilt() throws IOException {
        List<Path> dockerfiles;
        try (Stream<Path> files = Files.list(IMAGES)) {
            dockerfiles = files.filter(f -> f.toString().endsWith(".Dockerfile")).sorted().toList();
        }
        assertThat(dockerfiles)
                .extracting(f -> f.getFileName().toString())
                .containsExactly("cpu.Dockerfile", "cuda.Dockerfile", "model.Dockerfile");
        List<Path> copied = new ArrayList<>();
        for (Path dockerfile : dockerfiles) {
            List<Path> sources = copiedFromContext(dockerfile);
            assertThat(sources).as("COPY sources of " + dockerfile.getFileName()).isNotEmpty();
            for (Path source : sources) {
                assertThat(Files.exists(source))
                        .as(dockerfile.getFileName() + " copies " + ROOT.relativize(source))
                        .isTrue();
            }
            copied.addAll(sources);
        }
        Path jobJar = ROOT.resolve("flink-job/target/inctrl-job.jar");
        Path reporter =
                ROOT.resolve(
                        "flink-job/target/plugins/metrics-prometheus/flink-metrics-prometheus.jar");
        assertThat(copied).contains(jobJar, reporter);
        try (JarFile jar = new JarFile(jobJar.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.inctrlstream.job.InspectionJob");
        }
        try (JarFile jar = new JarFile(reporter.toFile())) {
            assertThat(
                            new String(
                                    jar.getInputStream(
                                                    jar.getEntry(
                                                            "META-INF/services/org.apache.flink"
                                                                    + ".metrics.reporter"
                                                                    + ".MetricReporterFactory"))
                                            .readAllBytes()))
                    .contains("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        }
        assertThat(copied).anySatisfy(c -> assertThat(c.resolve("manifest.json")).isRegularFile());
    }

    @Test
    void theFlinkBaseImageIsTheVersionTheJobIsBuiltAgainst() throws IOException {
        String flinkVersion = org.apache.flink.runtime.util.EnvironmentInformation.getVersion();
        for (String name : List.of("cpu.Dockerfile", "cuda.Dockerfile")) {
            assertThat(Files.readAllLines(IMAGES.resolve(name)))
                    .as(name)
                    .contains("FROM flink:" + flinkVersion + "-scala_2.12-java17");
        }
    }

    /** The context paths of the file's COPY instructions (not those copying from a stage). */
    private static List<Path> copiedFromContext(Path dockerfile) throws IOException {
        Map<String, String> args = new HashMap<>();
        List<Path> sources = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            String instruction = line.trim();
            Matcher arg = ARG.matcher(instruction);
            if (arg.matches()) {
                args.put(arg.group(1), arg.group(2));
                continue;
            }
            if (!instruction.startsWith("COPY ") || instruction.contains("--from=")) {
                continue;
            }
            List<String> words =
                    Stream.of(instruction.split("\\s+"))
                            .skip(1)
                            .filter(word -> !word.startsWith("--"))
                            .toList();
            for (String source : words.subList(0, words.size() - 1)) {
                Matcher variable = VARIABLE.matcher(source);
                StringBuilder resolved = new StringBuilder();
                while (variable.find()) {
                    String value = args.get(variable.group(1));
                    assertThat(value)
                            .as(dockerfile.getFileName() + ": ARG " + variable.group(1))
                            .isNotNull();
                    variable.appendReplacement(resolved, Matcher.quoteReplacement(value));
                }
                variable.appendTail(resolved);
                sources.add(ROOT.resolve(resolved.toString()).normalize());
            }
        }
        return sources;
    }
}
