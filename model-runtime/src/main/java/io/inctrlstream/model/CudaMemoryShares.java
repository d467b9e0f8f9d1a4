package io.inctrlstream.model;

import io.inctrlstream.model.internal.GraphContract;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How an engine's GPU memory limit is split among its three ONNX Runtime sessions. ONNX Runtime
 * keeps one CUDA memory arena per session and its Java API cannot make sessions share one, so a
 * limit for the whole engine (and so for the TaskManager, whose slots share it) is kept by giving
 * each session's arena a part: its graph's weights (the graph file's bytes, which its arena holds
 * once loaded) plus its share of what the limit leaves beyond all the weights, the working memory
 * of the runs, rounded down. The parts add up to at most the limit. Immutable and serializable (job
 * settings carry it), with the graphs in the bundle's order.
 *
 * <p>The default, image encoder 0.5, scorer 0.4, text encoder 0.1, follows where the official
 * model's working memory goes (docs/gpu.md, "GPU memory"): the image encoder's activations per
 * frame, the scorer's residual distances that grow with the batch and the bank, and a few prompts
 * for the text encoder when a category is first scored. It has not been measured on a GPU.
 */
public final class CudaMemoryShares implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The default split of the working memory: image encoder 0.5, scorer 0.4, text encoder 0.1. */
    public static final CudaMemoryShares DEFAULT = of(0.5, 0.4, 0.1);

    /** The least working memory a session's part may leave it (1 MiB). */
    public static final long MIN_WORKING_BYTES = 1L << 20;

    private final Map<String, Double> shares;
    private final double total;

    private CudaMemoryShares(Map<String, Double> shares) {
        this.shares = Collections.unmodifiableMap(shares);
        this.total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * The split with these shares, each a positive finite number (they need not add up to 1).
     *
     * @throws IllegalArgumentException if a share is not a positive finite number
     */
    public static CudaMemoryShares of(double imageEncoder, double scorer, double textEncoder) {
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put(GraphContract.IMAGE_ENCODER, imageEncoder);
        shares.put(GraphContract.SCORER, scorer);
        shares.put(GraphContract.TEXT_ENCODER, textEncoder);
        return of(shares);
    }

    /**
     * The split given by graph name ({@code image_encoder}, {@code scorer}, {@code text_encoder}),
     * every graph named once.
     *
     * @throws IllegalArgumentException if a graph is missing or unknown, or a share is not a
     *     positive finite number
     */
    public static CudaMemoryShares of(Map<String, Double> sharesByGraph) {
        Objects.requireNonNull(sharesByGraph, "sharesByGraph");
        for (String graph : sharesByGraph.keySet()) {
            if (!GraphContract.GRAPH_NAMES.contains(graph)) {
                throw new IllegalArgumentException(
                        "CUDA memory shares name the graphs "
                                + GraphContract.GRAPH_NAMES
                                + ", found an unknown one: '"
                                + graph
                                + "'");
            }
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String graph : GraphContract.GRAPH_NAMES) {
            Double share = sharesByGraph.get(graph);
            if (share == null) {
                throw new IllegalArgumentException(
                        "CUDA memory shares must give one for each of the graphs "
                                + GraphContract.GRAPH_NAMES
                                + ", found none for "
                                + graph);
            }
            if (!(share > 0) || share.isInfinite()) {
                throw new IllegalArgumentException(
                        "the CUDA memory share of "
                                + graph
                                + " must be a positive finite number, found "
                                + share);
            }
            ordered.put(graph, share);
        }
        return new CudaMemoryShares(ordered);
    }

    /** The shares by graph name, in the bundle's graph order. */
    public Map<String, Double> byGraph() {
        return shares;
    }

    /**
     * Each graph's part of {@code limitBytes}: its weights plus its share of what the limit leaves
     * beyond all the weights, rounded down; in the bundle's graph order.
     *
     * @param weightBytes the bytes of each graph's weights (its file), for every graph
     * @throws IllegalArgumentException if {@code limitBytes} is not positive, a graph's weights are
     *     missing or negative, or the limit leaves a session less than {@link #MIN_WORKING_BYTES}
     *     beyond its weights (the message names the limit, the weights and the session)
     */
    public Map<String, Long> parts(long limitBytes, Map<String, Long> weightBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException(
                    "the CUDA memory limit to split must be positive, found " + limitBytes);
        }
        long totalWeights = 0;
        for (String graph : shares.keySet()) {
            Long weights = weightBytes.get(graph);
            if (weights == null || weights < 0) {
                throw new IllegalArgumentException(
                        "expected the weight bytes of every graph "
                                + shares.keySet()
                                + ", found "
                                + weightBytes);
            }
            totalWeights += weights;
        }
        long working = limitBytes - totalWeights;
        Map<String, Long> parts = new LinkedHashMap<>();
        for (Map.Entry<String, Double> share : shares.entrySet()) {
            String graph = share.getKey();
            // multiplied before dividing, so that equal shares of a multiple of 3 come out exact
            long workingPart =
                    working <= 0 ? 0 : (long) Math.floor(working * share.getValue() / total);
            if (workingPart < MIN_WORKING_BYTES) {
                throw new IllegalArgumentException(
                        "a CUDA memory limit of "
                                + limitBytes
                                + " bytes leaves "
                                + Math.max(0, working)
                                + " bytes beyond the graphs' weights ("
                                + totalWeights
                                + " bytes: "
                                + weightBytes
                                + "); split by the shares "
                                + this
                                + ", "
                                + graph
                                + " would have "
                                + workingPart
                                + " bytes to run in, expected at least "
                                + MIN_WORKING_BYTES
                                + " (1 MiB)");
            }
            parts.put(graph, weightBytes.get(graph) + workingPart);
        }
        return Collections.unmodifiableMap(parts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CudaMemoryShares
                && shares.equals(((CudaMemoryShares) other).shares);
    }

    @Override
    public int hashCode() {
        return shares.hashCode();
    }

    /** The shares as {@code image_encoder:0.5,scorer:0.4,text_encoder:0.1}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Double> share : shares.entrySet()) {
            if (text.length() > 0) {
                text.append(',');
            }
            text.append(share.getKey()).append(':').append(share.getValue());
        }
        return text.toString();
    }
}
