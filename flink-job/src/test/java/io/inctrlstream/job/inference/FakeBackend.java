package io.inctrlstream.job.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A backend whose answers the test gives by completing the futures of the calls it recorded. Calls
 * start as they are made, unless the test asked for {@link #startingCallsWhenTold()}: then it
 * starts each call itself ({@code start()}), as a backend that queues calls would.
 *
 * <p>A bank is the text {@code "shot1,shot2|category"} built from the shot images' bytes, so that
 * tests can see which shots a frame was scored against. Scores are chosen by the test.
 */
final class FakeBackend implements InferenceBackend {
    private static final Map<String, FakeBackend> REGISTRY = new ConcurrentHashMap<>();

    /** A scoreBatch call, the future that says it started and the future that answers it. */
    record BatchCall(
            List<ScoringRequest> requests,
            CompletableFuture<Void> started,
            CompletableFuture<List<FrameScoreResult>> answer) {
        /** Says that the backend started running the call. */
        void start() {
            started.complete(null);
        }

        List<String> frameIds() {
            return requests.stream().map(ScoringRequest::frameId).collect(Collectors.toList());
        }

        /** Answers every frame with the same final score. */
        void succeed(float finalScore) {
            answer.complete(
                    requests.stream()
                            .map(request -> FrameScoreResult.scored(values(finalScore)))
                            .collect(Collectors.toList()));
        }

        void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }

    /** A buildBank call, the future that says it started and the future that answers it. */
    record BankCall(
            BankBuildRequest request,
            CompletableFuture<Void> started,
            CompletableFuture<BuiltBank> answer) {
        /** Says that the backend started running the call. */
        void start() {
            started.complete(null);
        }

        /** Answers with the bank the request describes. */
        void succeed() {
            List<String> shots = new ArrayList<>();
            if (request.baseBank() != null) {
                String base = new String(request.baseBank(), StandardCharsets.UTF_8);
                shots.addAll(Arrays.asList(base.substring(0, base.indexOf('|')).split(",")));
            }
            request.newShots()
                    .forEach(shot -> shots.add(new String(shot.data(), StandardCharsets.UTF_8)));
            answer.complete(new BuiltBank(bank(shots, request.category()), shots.size()));
        }

        void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }

        List<String> newShotNames() {
            return request.newShots().stream()
                    .map(shot -> new String(shot.data(), StandardCharsets.UTF_8))
                    .collect(Collectors.toList());
        }
    }

    final String id = UUID.randomUUID().toString();
    final List<BatchCall> batches = new CopyOnWriteArrayList<>();
    final List<BankCall> bankCalls = new CopyOnWriteArrayList<>();
    private volatile Function<List<ScoringRequest>, List<FrameScoreResult>> autoScores;
    private volatile boolean autoBanks;
    private volatile boolean startWhenTold;
    volatile boolean closed;

    private FakeBackend() {}

    static FakeBackend create() {
        FakeBackend backend = new FakeBackend();
        REGISTRY.put(backend.id, backend);
        return backend;
    }

    /** A serializable factory handing out this instance. */
    InferenceBackendFactory factory() {
        String backendId = id;
        return context -> REGISTRY.get(backendId);
    }

    /** From now on answers every batch at once with {@code scores}. */
    FakeBackend answeringBatchesWith(
            Function<List<ScoringRequest>, List<FrameScoreResult>> scores) {
        this.autoScores = scores;
        return this;
    }

    /** From now on calls start only when the test says so ({@code start()} on the call). */
    FakeBackend startingCallsWhenTold() {
        this.startWhenTold = true;
        return this;
    }

    /** From now on answers every bank build at once. */
    FakeBackend answeringBanks() {
        this.autoBanks = true;
        return this;
    }

    static byte[] bank(List<String> shots, String category) {
        return (String.join(",", shots) + "|" + category).getBytes(StandardCharsets.UTF_8);
    }

    static String bankText(ScoringRequest request) {
        return new String(request.bank().bytes(), StandardCharsets.UTF_8);
    }

    static ScoreValues values(float finalScore) {
        return new ScoreValues(
                finalScore,
                finalScore,
                finalScore,
                finalScore,
                finalScore,
                new float[] {finalScore});
    }

    BatchCall batch(int index) {
        assertThat(batches).as("scoring batches sent").hasSizeGreaterThan(index);
        return batches.get(index);
    }

    BankCall bankCall(int index) {
        assertThat(bankCalls).as("bank builds sent").hasSizeGreaterThan(index);
        return bankCalls.get(index);
    }

    @Override
    public InferenceCall<BuiltBank> buildBank(BankBuildRequest request) {
        BankCall call = new BankCall(request, newStart(), new CompletableFuture<>());
        bankCalls.add(call);
        if (autoBanks) {
            call.succeed();
        }
        return new InferenceCall<>(call.started(), call.answer());
    }

    @Override
    public InferenceCall<List<FrameScoreResult>> scoreBatch(List<ScoringRequest> requests) {
        BatchCall call = new BatchCall(requests, newStart(), new CompletableFuture<>());
        batches.add(call);
        Function<List<ScoringRequest>, List<FrameScoreResult>> scores = autoScores;
        if (scores != null) {
            call.answer().complete(scores.apply(requests));
        }
        return new InferenceCall<>(call.started(), call.answer());
    }

    private CompletableFuture<Void> newStart() {
        return startWhenTold ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        closed = true;
        REGISTRY.remove(id);
    }
}
