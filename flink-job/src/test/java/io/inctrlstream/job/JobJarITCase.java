package io.inctrlstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.inctrlstream.schema.Frame;
import io.inctrlstream.schema.ImageEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.util.FlinkUserCodeClassLoaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job jar for Flink clusters (target/inctrl-job.jar, built in the package phase): its main
 * class, no Flink classes but the Kafka connector's, no logging framework, Avro, Jackson and Apache
 * Commons relocated (and the project's classes rewritten to the relocated names), and the relocated
 * libraries working when the jar is loaded the way a TaskManager loads user code.
 */
class JobJarITCase {
    static final Path JOB_JAR = Path.of("target", "inctrl-job.jar");
    static final String SHADED = "io/inctrlstream/job/shaded/";

    private static List<String> entries;

    @BeforeAll
    static void readEntries() throws IOException {
        assertThat(JOB_JAR).as("the job jar, built by the package phase").isRegularFile();
        entries = new ArrayList<>();
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            jar.stream().map(JarEntry::getName).forEach(entries::add);
        }
    }

    @Test
    void namesTheInspectionJobAsItsMainClass() throws IOException {
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(InspectionJob.class.getName());
        }
        assertThat(entries).contains("io/inctrlstream/job/InspectionJob.class");
    }

    @Test
    void holdsNoFlinkClassesButTheKafkaConnectors() throws Exception {
        Set<String> connector = connectorEntries();
        List<String> flink =
                entries.stream()
                        .filter(name -> name.startsWith("org/apache/flink/"))
                        .filter(name -> name.endsWith(".class"))
                        .toList();
        assertThat(flink).as("the Kafka connector's classes").isNotEmpty();
        assertThat(flink)
                .as("Flink classes other than the Kafka connector's (Flink is provided)")
                .allSatisfy(name -> assertThat(connector).contains(name));
        assertThat(entries)
                .as("no flink-connector-base (in Flink's distribution)")
                .noneMatch(name -> name.startsWith("org/apache/flink/connector/base/"));
    }

    @Test
    void holdsNoLoggingFramework() {
        assertThat(entries)
                .noneMatch(name -> name.startsWith("org/slf4j/"))
                .noneMatch(name -> name.startsWith("org/apache/logging/"))
                .noneMatch(name -> name.startsWith("org/apache/log4j/"));
    }

    @Test
    void relocatesAvroJacksonAndCommons() throws IOException {
        for (String library :
                List.of("org/apache/avro/", "com/fasterxml/jackson/", "org/apache/commons/")) {
            assertThat(entries)
                    .as(library + " only relocated")
                    .noneMatch(name -> name.startsWith(library) && name.endsWith(".class"))
                    .anyMatch(name -> name.startsWith(SHADED + library));
        }
        // The project's own classes refer to the relocated names.
        assertReferencesOnlyRelocated(
                "io/inctrlstream/schema/codec/AvroCodec.class", "org/apache/avro/");
        assertReferencesOnlyRelocated(
                "io/inctrlstream/model/internal/ManifestParser.class", "com/fasterxml/jackson/");
    }

    @Test
    void keepsTheNativeLibrariesOfLinuxOnly() {
        assertThat(entries)
                .anyMatch(name -> name.startsWith("ai/onnxruntime/native/linux-x64/"))
                .anyMatch(name -> name.startsWith("ai/onnxruntime/native/linux-aarch64/"))
                .noneMatch(name -> name.startsWith("ai/onnxruntime/native/win-"))
                .noneMatch(name -> name.startsWith("ai/onnxruntime/native/osx-"));
    }

    /**
     * Loaded as Flink loads user code (child-first, Flink's parent-first patterns, this JVM's Flink
     * as the parent), the jar's relocated Avro decodes a frame encoded here, and its relocated
     * Jackson reads the tiny bundle's manifest.
     */
    @Test
    void relocatedLibrariesWorkInAUserCodeClassLoader() throws Exception {
        byte[] frame =
                TestRecords.encode(
                        TestRecords.frame(
                                "line-jar",
                                "f-1",
                                0,
                                TestRecords.image(ImageEncoding.RGB8, 1, 1, new byte[3])));
        try (URLClassLoader userCode =
                FlinkUserCodeClassLoaders.create(
                        new URL[] {JOB_JAR.toUri().toURL()},
                        getClass().getClassLoader(),
                        new Configuration())) {
            Class<?> codecType = userCode.loadClass("io.inctrlstream.schema.codec.AvroCodec");
            assertThat(codecType.getClassLoader())
                    .as("loaded from the job jar")
                    .isNotSameAs(getClass().getClassLoader());
            Object codec = codecType.getMethod("frames").invoke(null);
            Object decoded = codecType.getMethod("decode", byte[].class).invoke(codec, frame);
            assertThat(decoded.getClass().getName()).isEqualTo(Frame.class.getName());
            assertThat(decoded.getClass()).isNotSameAs(Frame.class);
            assertThat(decoded.getClass().getMethod("getFrameId").invoke(decoded).toString())
                    .isEqualTo("f-1");

            Class<?> manifestType = userCode.loadClass("io.inctrlstream.model.BundleManifest");
            Method parse = manifestType.getMethod("parse", byte[].class);
            Object manifest =
                    parse.invoke(
                            null,
                            Files.readAllBytes(TinyBundle.DIRECTORY.resolve("manifest.json")));
            assertThat(manifestType.getMethod("modelId").invoke(manifest))
                    .isEqualTo(
                            io.inctrlstream.model.BundleManifest.parse(
                                            Files.readAllBytes(
                                                    TinyBundle.DIRECTORY.resolve("manifest.json")))
                                    .modelId());
        }
    }

    private static Set<String> connectorEntries() throws Exception {
        Path connectorJar =
                Path.of(
                        KafkaSource.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI());
        Set<String> names = new HashSet<>();
        try (JarFile jar = new JarFile(connectorJar.toFile())) {
            jar.stream().map(JarEntry::getName).forEach(names::add);
        }
        return names;
    }

    /**
     * Asserts that the constant pool of the class file {@code name} names classes of {@code
     * library} (a package path) only under their relocated names.
     */
    private static void assertReferencesOnlyRelocated(String name, String library)
            throws IOException {
        String text;
        try (JarFile jar = new JarFile(JOB_JAR.toFile());
                InputStream in = jar.getInputStream(jar.getEntry(name))) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(text.contains(SHADED + library))
                .as(name + " refers to the relocated " + library)
                .isTrue();
        assertThat(text.replace(SHADED + library, "").contains(library))
                .as(name + " refers to the unrelocated " + library)
                .isFalse();
    }
}
