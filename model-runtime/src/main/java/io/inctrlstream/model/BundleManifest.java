package io.inctrlstream.model;

import io.inctrlstream.model.image.PreprocessSpec;
import io.inctrlstream.model.internal.ManifestParser;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed {@code manifest.json} of a model bundle (format version 1, see {@code
 * docs/model-bundle.md}): typed, immutable accessors for every section. {@link #parse(byte[])}
 * checks that every required key is present, of the right type and sane (dimensions consistent with
 * each other, graph inputs and outputs as the runtime expects them); it does not look at the
 * bundle's other files, which {@link ModelBundle#load} verifies.
 */
public final class BundleManifest {
    /** The value of the manifest's {@code format} key. */
    public static final String FORMAT = "inctrl-model-bundle";

    /** The manifest format version this runtime reads. */
    public static final int SUPPORTED_FORMAT_VERSION = 1;

    private final String format;
    private final int formatVersion;
    private final ModelInfo model;
    private final Preprocess preprocess;
    private final Vision vision;
    private final Text text;
    private final Scoring scoring;
    private final Map<String, GraphSpec> graphs;
    private final Prototypes prototypes;
    private final List<FileEntry> files;
    private final List<String> notes;

    public BundleManifest(
            String format,
            int formatVersion,
            ModelInfo model,
            Preprocess preprocess,
            Vision vision,
            Text text,
            Scoring scoring,
            Map<String, GraphSpec> graphs,
            Optional<Prototypes> prototypes,
            List<FileEntry> files,
            List<String> notes) {
        this.format = Objects.requireNonNull(format, "format");
        this.formatVersion = formatVersion;
        this.model = Objects.requireNonNull(model, "model");
        this.preprocess = Objects.requireNonNull(preprocess, "preprocess");
        this.vision = Objects.requireNonNull(vision, "vision");
        this.text = Objects.requireNonNull(text, "text");
        this.scoring = Objects.requireNonNull(scoring, "scoring");
        this.graphs = Collections.unmodifiableMap(new LinkedHashMap<>(graphs));
        this.prototypes = Objects.requireNonNull(prototypes, "prototypes").orElse(null);
        this.files = List.copyOf(files);
        this.notes = List.copyOf(notes);
    }

    /**
     * Parses and checks a manifest.
     *
     * @throws ModelException BUNDLE_CORRUPT if it is not JSON, BUNDLE_UNSUPPORTED_VERSION if its
     *     format version is not {@value #SUPPORTED_FORMAT_VERSION}, BUNDLE_MISMATCH naming the key
     *     if a required key is missing, mistyped or not sane
     */
    public static BundleManifest parse(byte[] json) throws ModelException {
        return ManifestParser.parse(json);
    }

    public String format() {
        return format;
    }

    public int formatVersion() {
        return formatVersion;
    }

    public ModelInfo model() {
        return model;
    }

    /** The model id, {@code name@version}. */
    public String modelId() {
        return model.name() + "@" + model.version();
    }

    public Preprocess preprocess() {
        return preprocess;
    }

    public Vision vision() {
        return vision;
    }

    public Text text() {
        return text;
    }

    public Scoring scoring() {
        return scoring;
    }

    /** The graphs by name ({@code image_encoder}, {@code scorer}, {@code text_encoder}). */
    public Map<String, GraphSpec> graphs() {
        return graphs;
    }

    /** One graph by name. */
    public GraphSpec graph(String name) {
        GraphSpec spec = graphs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException(
                    "no graph named '" + name + "' in the manifest; graphs: " + graphs.keySet());
        }
        return spec;
    }

    /** The precomputed text prototypes, if the bundle has any. */
    public Optional<Prototypes> prototypes() {
        return Optional.ofNullable(prototypes);
    }

    /** Every file of the bundle except {@code manifest.json}. */
    public List<FileEntry> files() {
        return files;
    }

    public List<String> notes() {
        return notes;
    }

    @Override
    public String toString() {
        return "BundleManifest[" + modelId() + ", variant " + model.variant() + "]";
    }

    /**
     * The {@code model} section; {@code precision} is fp32 where the manifest names none. {@code
     * int8WeightBits} is an int8 bundle's weight range ({@code model.weight_bits}: 7, or 8 where
     * absent, as bundles quantized before the field were), 0 for other precisions; {@code
     * int8ActivationBits} likewise the range its activations are quantized to at run time ({@code
     * model.activation_bits}: 7, or 8 where absent). 8-bit weights with 8-bit activations give
     * wrong scores on x86 CPUs without VNNI, which the engine refuses.
     */
    public record ModelInfo(
            String name,
            String version,
            String variant,
            String weights,
            String exporter,
            GraphPrecision precision,
            int int8WeightBits,
            int int8ActivationBits) {
        public ModelInfo {
            java.util.Objects.requireNonNull(precision, "precision");
            checkBits("weight", int8WeightBits, precision);
            checkBits("activation", int8ActivationBits, precision);
        }

        private static void checkBits(String what, int bits, GraphPrecision precision) {
            if (precision == GraphPrecision.INT8 ? bits != 7 && bits != 8 : bits != 0) {
                throw new IllegalArgumentException(
                        "expected int8 "
                                + what
                                + " bits of 7 or 8 for an int8 bundle and 0 otherwise, found "
                                + bits
                                + " for "
                                + precision.manifestName());
            }
        }
    }

    /** The {@code preprocess} section: how frames become the encoder's input tensor. */
    public record Preprocess(
            int imageSize, String interpolation, List<Double> mean, List<Double> std) {
        public Preprocess {
            mean = List.copyOf(mean);
            std = List.copyOf(std);
        }

        /**
         * The preprocessing this section describes, for {@link
         * io.inctrlstream.model.image.ImagePreprocessor}.
         *
         * @throws IllegalArgumentException if the interpolation is not the one the runtime
         *     implements, or the mean or std do not hold three values
         */
        public PreprocessSpec toSpec() {
            return PreprocessSpec.fromManifest(
                    imageSize, interpolation, doubles(mean), doubles(std));
        }

        private static double[] doubles(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** The {@code vision} section: the image tower's dimensions. */
    public record Vision(
            int width,
            int layers,
            int heads,
            int patchSize,
            int grid,
            int patches,
            List<Integer> tapLayers,
            int embedDim,
            int adapterDim) {
        public Vision {
            tapLayers = List.copyOf(tapLayers);
        }
    }

    /** The {@code text} section: the text tower, tokenizer and prompt ensemble. */
    public record Text(
            int width,
            int layers,
            int heads,
            int contextLength,
            int vocabSize,
            String bpeFile,
            int bpeMerges,
            int sotToken,
            int eotToken,
            List<String> normalStates,
            List<String> anomalousStates,
            List<String> templates,
            List<String> specialCategories,
            String specialNormal,
            String specialAnomalous) {
        public Text {
            normalStates = List.copyOf(normalStates);
            anomalousStates = List.copyOf(anomalousStates);
            templates = List.copyOf(templates);
            specialCategories = List.copyOf(specialCategories);
        }
    }

    /** The {@code scoring} section. */
    public record Scoring(double logitScale) {}

    /** One graph: its file and the inputs and outputs it must have. */
    public record GraphSpec(
            String name, String file, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        public GraphSpec {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }

        /** The input with this name, if any. */
        public Optional<TensorSpec> input(String tensorName) {
            return inputs.stream().filter(t -> t.name().equals(tensorName)).findFirst();
        }

        /** The output with this name, if any. */
        public Optional<TensorSpec> output(String tensorName) {
            return outputs.stream().filter(t -> t.name().equals(tensorName)).findFirst();
        }
    }

    /** A graph input or output: name, element type and shape. */
    public record TensorSpec(String name, ElementType type, List<Dim> shape) {
        public TensorSpec {
            shape = List.copyOf(shape);
        }

        public int rank() {
            return shape.size();
        }

        @Override
        public String toString() {
            return name + ":" + type.jsonName() + shape;
        }
    }

    /** A tensor element type as the manifest names it. */
    public enum ElementType {
        FLOAT32("float32"),
        INT64("int64");

        private final String jsonName;

        ElementType(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The manifest's spelling. */
        public String jsonName() {
            return jsonName;
        }

        /** The type with this manifest spelling, if any. */
        public static Optional<ElementType> fromJsonName(String name) {
            for (ElementType type : values()) {
                if (type.jsonName.equals(name)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * One dimension of a tensor shape: either fixed ({@code size >= 0}, {@code symbol == null}) or
     * symbolic ({@code size == -1}, a name such as {@code "batch"}).
     */
    public record Dim(long size, String symbol) {
        public Dim {
            if ((symbol == null) == (size < 0)) {
                throw new IllegalArgumentException(
                        "a dimension is either fixed (size >= 0) or symbolic (a name), found size "
                                + size
                                + " and symbol "
                                + symbol);
            }
        }

        public static Dim fixed(long size) {
            return new Dim(size, null);
        }

        public static Dim symbolic(String symbol) {
            return new Dim(-1, Objects.requireNonNull(symbol, "symbol"));
        }

        public boolean isSymbolic() {
            return symbol != null;
        }

        @Override
        public String toString() {
            return isSymbolic() ? '"' + symbol + '"' : Long.toString(size);
        }
    }

    /** The {@code prototypes} section: precomputed text prototypes and their categories. */
    public record Prototypes(String file, List<String> categories) {
        public Prototypes {
            categories = List.copyOf(categories);
        }
    }

    /** One entry of {@code files}: a bundle file with its expected size and sha256. */
    public record FileEntry(String path, long size, String sha256) {}
}
