package io.inctrlstream.job.inference.internal;

import io.inctrlstream.job.inference.BankBuildRequest;
import io.inctrlstream.job.inference.BuiltBank;
import io.inctrlstream.job.inference.CommandAction;
import io.inctrlstream.job.inference.FrameScore;
import io.inctrlstream.job.inference.FrameScoreResult;
import io.inctrlstream.job.inference.FrameToScore;
import io.inctrlstream.job.inference.InferenceBackend;
import io.inctrlstream.job.inference.InferenceBackendContext;
import io.inctrlstream.job.inference.InferenceBackendFactory;
import io.inctrlstream.job.inference.InferenceOperatorConfig;
import io.inctrlstream.job.inference.LineCommand;
import io.inctrlstream.job.inference.LineInference;
import io.inctrlstream.job.inference.LineInput;
import io.inctrlstream.job.inference.LineOutput;
import io.inctrlstream.job.inference.LineStateConfig;
import io.inctrlstream.job.inference.ScoringRequest;
import io.inctrlstream.job.inference.ShotBankRef;
import io.inctrlstream.job.io.OutboundRecord;
import io.inctrlstream.schema.RecordIds;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.KeyedStateStore;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed (by line id) operator that owns each production line's state and scores its frames
 * asynchronously, in micro-batches across lines. Modelled on Flink's AsyncWaitOperator, with keyed
 * state: every backend answer comes back as a mail, so keyed state is only read and written on the
 * task thread, always after setting the current key to the line concerned.
 *
 * <p>Per line, inputs form a queue answered strictly in order. Frames run concurrently with each
 * other; a command runs only once everything before it in its line has been emitted, and the frames
 * after it wait until it has been applied. A line's keyed state therefore always equals the effect
 * of the commands already emitted, and the inputs still queued at a checkpoint (kept per line in
 * keyed state) can simply be re-run after a restore. See docs/operator-design.md.
 */
public final class LineInferenceOperator extends AbstractStreamOperator<LineOutput>
        implements OneInputStreamOperator<LineInput, LineOutput>,
                BoundedOneInput,
                ScoringBatcher.Listener,
                BankBuilds.Listener {
    private static final long serialVersionUID = 1L;

    static final String SETTINGS_STATE = "line-settings";
    static final String BANK_STATE = "line-shot-bank";
    static final String PENDING_STATE = "line-pending-inputs";
    static final String COMMAND_LOG_STATE = "line-command-log";
    static final String SHOT_IMAGES_STATE = "line-shot-images";
    static final String BANKS_REBUILT = "banksRebuilt";
    static final String BANK_REBUILDS_FAILED = "bankRebuildsFailed";

    /** Who the audit trail names for a bank the job rebuilt itself. */
    static final String REBUILT_BY = "inctrl-job";

    static final String COMMANDS_DUPLICATE = "commandsDuplicate";
    static final String COMMANDS_SKIPPED = "commandsSkipped";
    static final String LINE_STATES_RESTORED = "lineStatesRestored";
    static final String LINE_STATES_SKIPPED = "lineStatesSkipped";

    private static final Logger LOG = LoggerFactory.getLogger(LineInferenceOperator.class);

    private final InferenceOperatorConfig config;
    private final InferenceBackendFactory backendFactory;
    private final LineStateConfig lineStateConfig;
    private final transient LineStateRecords lineStateRecords = new LineStateRecords();
    private final transient MailboxExecutor mailbox;
    private final transient Map<String, ArrayDeque<Entry>> lines = new HashMap<>();
    private final transient Map<String, List<PendingInput>> restored = new LinkedHashMap<>();
    private final transient List<String> banksToRebuild = new ArrayList<>();
    private final transient BankCache bankCache;
    private final transient WatermarkHold watermarks;

    private transient ValueState<LineSettings> settingsState;
    private transient ValueState<byte[]> bankState;
    private transient ListState<PendingInput> pendingState;
    private transient ValueState<CommandLog> commandLogState;
    private transient ValueState<ShotImages> shotImagesState;
    private transient Counter commandsDuplicate;
    private transient Counter banksRebuilt;
    private transient Counter bankRebuildsFailed;
    private transient Counter commandsSkipped;
    private transient Set<String> linesWithPersistedPending = new HashSet<>();
    private transient volatile int bufferedInputs;
    private transient volatile int bufferedFrames;
    private transient long nextSequence;
    private transient OperatorMetrics metrics;
    private transient InferenceBackend backend;
    private transient BackendCalls calls;
    private transient ScoringBatcher batcher;
    private transient BankBuilds bankBuilds;

    public LineInferenceOperator(
            StreamOperatorParameters<LineOutput> parameters,
            InferenceOperatorConfig config,
            InferenceBackendFactory backendFactory,
            LineStateConfig lineStateConfig) {
        super(parameters);
        this.config = Objects.requireNonNull(config, "config");
        this.backendFactory = Objects.requireNonNull(backendFactory, "backendFactory");
        this.lineStateConfig = Objects.requireNonNull(lineStateConfig, "lineStateConfig");
        this.mailbox = Objects.requireNonNull(parameters.getMailboxExecutor(), "mailbox");
        this.bankCache = new BankCache(config.bankCacheBytes());
        this.watermarks = new WatermarkHold(watermark -> output.emitWatermark(watermark));
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        KeyedStateStore store = context.getKeyedStateStore();
        settingsState =
                store.getState(
                        new ValueStateDescriptor<>(
                                SETTINGS_STATE, LineSettingsSerializer.INSTANCE));
        bankState =
                store.getState(
                        new ValueStateDescriptor<>(BANK_STATE, ShotBankBytesSerializer.INSTANCE));
        pendingState =
                store.getListState(
                        new ListStateDescriptor<>(PENDING_STATE, PendingInputSerializer.INSTANCE));
        commandLogState =
                store.getState(
                        new ValueStateDescriptor<>(
                                COMMAND_LOG_STATE, CommandLogSerializer.INSTANCE));
        shotImagesState =
                store.getState(
                        new ValueStateDescriptor<>(
                                SHOT_IMAGES_STATE, ShotImagesSerializer.INSTANCE));
        commandsDuplicate = getMetricGroup().counter(COMMANDS_DUPLICATE);
        banksRebuilt = getMetricGroup().counter(BANKS_REBUILT);
        bankRebuildsFailed = getMetricGroup().counter(BANK_REBUILDS_FAILED);
        commandsSkipped = getMetricGroup().counter(COMMANDS_SKIPPED);
        Counter restoredLines = getMetricGroup().counter(LINE_STATES_RESTORED);
        Counter skippedRecords = getMetricGroup().counter(LINE_STATES_SKIPPED);
        if (context.isRestored()) {
            readRestoredPendingInputs();
            findBanksOfAnotherModel();
        } else {
            restoreLines(restoredLines, skippedRecords);
            findBanksOfAnotherModel();
        }
    }

    /**
     * Without a checkpoint or savepoint, restores this subtask's lines from the line-state store
     * before any input is taken: no frame of a line is scored before its state is back.
     */
    private void restoreLines(Counter restoredLines, Counter skippedRecords) throws Exception {
        long start = System.nanoTime();
        TaskInfo task = getRuntimeContext().getTaskInfo();
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        KeyGroupRange keyGroups =
                KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                        maxParallelism,
                        task.getNumberOfParallelSubtasks(),
                        task.getIndexOfThisSubtask());
        LineStateRestore.Summary summary =
                LineStateRestore.run(
                        lineStateConfig.store(),
                        keyGroups,
                        maxParallelism,
                        lineStateConfig.modelId(),
                        lineStateRecords,
                        new LineStateRestore.Target() {
                            @Override
                            public void restore(LineStateRecords.Line line) throws IOException {
                                setCurrentKey(line.lineId());
                                settingsState.update(line.settings());
                                commandLogState.update(line.log());
                                if (line.bank() != null) {
                                    bankState.update(line.bank());
                                } else {
                                    bankState.clear();
                                }
                                if (line.shots() != null && !line.shots().isEmpty()) {
                                    shotImagesState.update(
                                            new ShotImages(line.modelId(), line.shots()));
                                } else {
                                    shotImagesState.clear();
                                }
                            }

                            @Override
                            public void clear(String lineId) {
                                setCurrentKey(lineId);
                                settingsState.clear();
                                commandLogState.clear();
                                bankState.clear();
                                shotImagesState.clear();
                            }
                        });
        restoredLines.inc(summary.linesRestored());
        skippedRecords.inc(summary.recordsSkipped());
        LOG.info(
                "Restored {} lines of key groups {} from {} in {} ms ({} records of these lines"
                        + " read, {} skipped)",
                summary.linesRestored(),
                keyGroups,
                lineStateConfig.store(),
                (System.nanoTime() - start) / 1_000_000,
                summary.recordsRead(),
                summary.recordsSkipped());
    }

    /** Moves the inputs that were queued at the checkpoint out of keyed state, to re-run them. */
    private void readRestoredPendingInputs() throws Exception {
        for (String lineId : linesWith(PENDING_STATE)) {
            setCurrentKey(lineId);
            List<PendingInput> inputs = new ArrayList<>();
            Iterable<PendingInput> stored = pendingState.get();
            if (stored != null) {
                stored.forEach(inputs::add);
            }
            pendingState.clear();
            if (!inputs.isEmpty()) {
                restored.put(lineId, inputs);
            }
        }
    }

    /**
     * Finds the lines whose bank another model built (the checkpoint's job ran another bundle):
     * {@link #open()} rebuilds them from their stored shot images before any of their inputs. Lines
     * whose state predates stored images keep their bank (and their frames fail with the backend's
     * bank mismatch until their shots are set again).
     */
    private void findBanksOfAnotherModel() throws Exception {
        for (String lineId : linesWith(SHOT_IMAGES_STATE)) {
            setCurrentKey(lineId);
            ShotImages shots = shotImagesState.value();
            LineSettings settings = settingsState.value();
            if (shots != null
                    && settings != null
                    && settings.shotCount() == shots.images().size()
                    && !shots.modelId().equals(lineStateConfig.modelId())) {
                banksToRebuild.add(lineId);
            }
        }
        if (!banksToRebuild.isEmpty()) {
            LOG.info(
                    "Rebuilding the banks of {} lines for model {}: the restored state holds banks"
                            + " of another model",
                    banksToRebuild.size(),
                    lineStateConfig.modelId());
        }
    }

    /**
     * The lines (keys) of this subtask that hold a value of the keyed state {@code name}, sorted.
     */
    private List<String> linesWith(String name) throws Exception {
        try (Stream<?> keys = getKeyedStateBackend().getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.map(String.class::cast).sorted().collect(Collectors.toList());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        metrics =
                new OperatorMetrics(
                        getMetricGroup(),
                        config.maxLinesWithMetrics(),
                        new OperatorMetrics.Sources(
                                () -> bufferedFrames,
                                () -> bufferedInputs,
                                () -> batcher == null ? 0 : batcher.runningBatches(),
                                () -> calls == null ? 0 : calls.consecutiveFailures(),
                                bankCache::bytes));
        backend =
                Objects.requireNonNull(
                        backendFactory.create(
                                new InferenceBackendContext(
                                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                                        getRuntimeContext()
                                                .getTaskInfo()
                                                .getNumberOfParallelSubtasks(),
                                        getMetricGroup())),
                        "the inference backend factory created no backend");
        // Scoring batches and bank builds share one budget of calls to the one backend.
        calls = new BackendCalls(config, getProcessingTimeService(), mailbox, metrics);
        batcher =
                new ScoringBatcher(
                        config, backend, getProcessingTimeService(), calls, metrics, this);
        bankBuilds =
                new BankBuilds(config, backend, getProcessingTimeService(), calls, metrics, this);
        calls.register(batcher);
        calls.register(bankBuilds);
        for (String lineId : banksToRebuild) {
            startBankRebuild(lineId);
        }
        banksToRebuild.clear();
        for (List<PendingInput> inputs : restored.values()) {
            for (PendingInput pending : inputs) {
                waitForCapacity();
                accept(pending.input(), pending.timestamp(), pending.hasTimestamp());
            }
        }
        restored.clear();
    }

    @Override
    public void processElement(StreamRecord<LineInput> record) throws Exception {
        LineInput input = record.getValue();
        if (input.isFrame()) {
            metrics.framesIn.inc();
        }
        waitForCapacity();
        accept(input, record.getTimestamp(), record.hasTimestamp());
    }

    @Override
    public void processWatermark(Watermark mark) {
        watermarks.watermark(mark, nextSequence - 1);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        Set<String> persisted = new HashSet<>();
        for (Map.Entry<String, ArrayDeque<Entry>> line : lines.entrySet()) {
            List<PendingInput> pending = new ArrayList<>(line.getValue().size());
            for (Entry entry : line.getValue()) {
                if (!entry.bankRebuild) {
                    pending.add(entry.toPending());
                }
            }
            setCurrentKey(line.getKey());
            pendingState.update(pending);
            persisted.add(line.getKey());
        }
        for (String lineId : linesWithPersistedPending) {
            if (!persisted.contains(lineId)) {
                setCurrentKey(lineId);
                pendingState.clear();
            }
        }
        linesWithPersistedPending = persisted;
    }

    @Override
    public void endInput() throws Exception {
        batcher.sendEagerly();
        while (bufferedInputs > 0) {
            mailbox.yield();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (batcher != null) {
                batcher.close();
            }
            if (bankBuilds != null) {
                bankBuilds.close();
            }
            if (calls != null) {
                calls.close();
            }
            bankCache.clear();
            if (backend != null) {
                backend.close();
                backend = null;
            }
        }
    }

    // ---------------------------------------------------------------- line queues

    /** Blocks the input (processing mails meanwhile) while the operator holds its capacity. */
    private void waitForCapacity() throws Exception {
        while (bufferedInputs >= config.capacity()) {
            // No more frames can join the waiting batch before a slot frees: send it now.
            batcher.flushWaiting();
            mailbox.yield();
        }
    }

    private void accept(LineInput input, long timestamp, boolean hasTimestamp) throws Exception {
        Entry entry = new Entry(nextSequence++, input, timestamp, hasTimestamp);
        lines.computeIfAbsent(input.lineId(), line -> new ArrayDeque<>()).addLast(entry);
        bufferedInputs++;
        if (entry.isFrame()) {
            bufferedFrames++;
        }
        watermarks.accepted(entry.sequence);
        progress(input.lineId());
    }

    /**
     * Queues the rebuild of a line's bank from its stored shot images, ahead of the line's inputs:
     * the job's own SET_SHOTS of those images, which keeps the line's settings and command log.
     */
    private void startBankRebuild(String lineId) throws Exception {
        setCurrentKey(lineId);
        ShotImages shots = shotImagesState.value();
        LineSettings settings = settings(lineId);
        LineCommand rebuild =
                LineCommand.setShots(
                        new LineCommand.CommandHeader(
                                "bank-rebuild-" + lineId + "-" + settings.shotsVersion(),
                                lineId,
                                now(),
                                REBUILT_BY),
                        shots.images(),
                        settings.category());
        Entry entry = Entry.bankRebuild(nextSequence++, LineInput.of(rebuild));
        lines.computeIfAbsent(lineId, line -> new ArrayDeque<>()).addLast(entry);
        bufferedInputs++;
        watermarks.accepted(entry.sequence);
        progress(lineId);
    }

    /** Emits the line's answered head entries and starts whatever may start, until stuck. */
    private void progress(String lineId) throws Exception {
        ArrayDeque<Entry> queue = lines.get(lineId);
        while (queue != null) {
            while (!queue.isEmpty() && queue.peekFirst().stage() == Entry.Stage.DONE) {
                emit(queue.pollFirst());
            }
            if (queue.isEmpty()) {
                lines.remove(lineId);
                return;
            }
            startReady(queue);
            if (queue.peekFirst().stage() != Entry.Stage.DONE) {
                return;
            }
        }
    }

    /**
     * Starts the waiting frames that no command precedes, or the command at the head of the queue.
     */
    private void startReady(ArrayDeque<Entry> queue) throws Exception {
        Entry head = queue.peekFirst();
        for (Entry entry : queue) {
            if (!entry.isFrame()) {
                if (entry == head && entry.stage() == Entry.Stage.WAITING) {
                    startCommand(entry);
                }
                return;
            }
            if (entry.stage() == Entry.Stage.WAITING) {
                startFrame(entry);
            }
        }
    }

    private void emit(Entry entry) {
        bufferedInputs--;
        if (entry.hasOutput()) {
            LineOutput result = entry.output();
            output.collect(
                    entry.hasTimestamp
                            ? new StreamRecord<>(result, entry.timestamp)
                            : new StreamRecord<>(result));
            if (entry.isFrame()) {
                bufferedFrames--;
                countFrame(result);
            } else {
                countCommand(result);
            }
        }
        watermarks.emitted(entry.sequence);
    }

    private void countFrame(LineOutput result) {
        switch (result.score().status()) {
            case SCORED:
                metrics.framesScored.inc();
                // From the camera's capture time to the score: includes the time in Kafka, and
                // reads as 0 when the camera's clock is ahead of the job's.
                FrameScore score = result.score();
                metrics.endToEndLatencyMs.update(
                        Math.max(0L, score.scoredTimeMillis() - score.captureTimeMillis()));
                break;
            case NO_REFERENCE:
                metrics.framesNoReference.inc();
                break;
            case FAILED:
                metrics.framesFailed.inc();
                break;
            default:
                throw new IllegalStateException("unknown score status " + result.score().status());
        }
    }

    private void countCommand(LineOutput result) {
        switch (result.outcome().status()) {
            case APPLIED:
                metrics.commandsApplied.inc();
                break;
            case REJECTED:
                metrics.commandsRejected.inc();
                break;
            default:
                throw new IllegalStateException(
                        "unknown command status " + result.outcome().status());
        }
    }

    // ---------------------------------------------------------------- frames

    private void startFrame(Entry entry) throws Exception {
        entry.markRunning();
        FrameToScore frame = entry.input.frame();
        LineSettings settings = settings(frame.lineId());
        if (!settings.hasBank()) {
            entry.complete(Outputs.noReference(frame, settings, now()));
            return;
        }
        ShotBankRef bank =
                new ShotBankRef(
                        frame.lineId(), settings.shotsVersion(), bank(frame.lineId(), settings));
        batcher.add(
                new FrameWork(
                        entry,
                        new ScoringRequest(
                                frame.lineId(),
                                frame.frameId(),
                                bank,
                                frame.image(),
                                settings.threshold()),
                        settings));
    }

    @Override
    public void framesResolved(List<FrameWork> resolved) throws Exception {
        Set<String> touched = new LinkedHashSet<>();
        long now = now();
        for (FrameWork work : resolved) {
            FrameToScore frame = work.entry.input.frame();
            FrameScoreResult result = work.result();
            LineOutput output =
                    result.isScored()
                            ? Outputs.scored(
                                    frame, work.settings, result.values(), work.attempts, now)
                            : Outputs.failed(
                                    frame,
                                    work.settings,
                                    result.failureReason(),
                                    result.imageFailure(),
                                    work.attempts,
                                    now);
            work.entry.complete(output);
            touched.add(frame.lineId());
        }
        for (String lineId : touched) {
            progress(lineId);
        }
    }

    // ---------------------------------------------------------------- commands

    private void startCommand(Entry entry) throws Exception {
        entry.markRunning();
        LineCommand command = entry.input.command();
        String lineId = command.lineId();
        LineSettings settings = settings(lineId);
        if (entry.bankRebuild) {
            bankBuilds.start(
                    entry, new BankBuildRequest(lineId, null, command.shots(), command.category()));
            return;
        }
        CommandLog log = commandLog(lineId);
        if (log.answered(command.position())) {
            // Replayed from the control topic (a start without checkpoint reads it from the
            // committed offsets, or the earliest): answered before, so no second outcome.
            LOG.info(
                    "Skipping command {} of line {} at {}: the line answered it before (last"
                            + " applied command at {})",
                    command.commandId(),
                    lineId,
                    command.position(),
                    log.lastPosition());
            commandsSkipped.inc();
            entry.skip();
            return;
        }
        if (command.origin().refusal() == null && log.applied(command.commandId())) {
            // A refused command (unsigned, forged) is rejected below even when its id is known.
            commandsDuplicate.inc();
            entry.complete(Outputs.duplicate(command, settings, now()));
            return;
        }
        Optional<String> problem =
                CommandValidation.problem(command, settings, config.maxShotsPerLine());
        if (problem.isPresent()) {
            entry.complete(Outputs.rejected(command, settings, problem.get(), now()));
            return;
        }
        switch (command.action()) {
            case SET_THRESHOLD:
                applied(entry, settings.withThreshold(command.threshold()), null);
                break;
            case SET_ALERT_POLICY:
                applied(entry, settings.withAlertPolicy(command.alertPolicy()), null);
                break;
            case CLEAR_SHOTS:
                applied(entry, settings.hasBank() ? settings.withNewBank(0) : settings, null);
                break;
            case SET_CATEGORY:
                if (settings.hasBank()) {
                    bankBuilds.start(
                            entry,
                            new BankBuildRequest(
                                    lineId, bank(lineId, settings), List.of(), command.category()));
                } else {
                    applied(entry, settings.withCategory(command.category()), null);
                }
                break;
            case SET_SHOTS:
                bankBuilds.start(
                        entry,
                        new BankBuildRequest(
                                lineId, null, command.shots(), categoryAfter(command, settings)));
                break;
            case ADD_SHOTS:
                bankBuilds.start(
                        entry,
                        new BankBuildRequest(
                                lineId,
                                settings.hasBank() ? bank(lineId, settings) : null,
                                command.shots(),
                                settings.category()));
                break;
            default:
                throw new IllegalStateException("unknown command action " + command.action());
        }
    }

    @Override
    public void bankBuilt(Entry entry, BuiltBank bank) throws Exception {
        LineCommand command = entry.input.command();
        String lineId = command.lineId();
        LineSettings settings = settings(lineId);
        if (entry.bankRebuild) {
            bankRebuilt(entry, settings, bank);
            progress(lineId);
            return;
        }
        int expectedShots = expectedShotCount(command, settings);
        if (bank.shotCount() != expectedShots) {
            entry.complete(
                    Outputs.rejected(
                            command,
                            settings,
                            "the inference backend built a bank of "
                                    + bank.shotCount()
                                    + " shots, expected "
                                    + expectedShots,
                            now()));
        } else {
            applied(
                    entry,
                    settings.withCategory(categoryAfter(command, settings))
                            .withNewBank(bank.shotCount()),
                    bank.bytes());
        }
        progress(lineId);
    }

    @Override
    public void bankFailed(Entry entry, String reason) throws Exception {
        LineCommand command = entry.input.command();
        if (entry.bankRebuild) {
            bankRebuildFailed(entry, reason);
            progress(command.lineId());
            return;
        }
        entry.complete(Outputs.rejected(command, settings(command.lineId()), reason, now()));
        progress(command.lineId());
    }

    /**
     * Writes a rebuilt bank (same shots, settings and command log; the new model's bank) to the
     * line's keyed state and the line-state topic. The rebuild has no outcome: no command asked for
     * it.
     */
    private void bankRebuilt(Entry entry, LineSettings settings, BuiltBank bank) throws Exception {
        String lineId = entry.input.lineId();
        if (bank.shotCount() != settings.shotCount()) {
            bankRebuildFailed(
                    entry,
                    "the inference backend built a bank of "
                            + bank.shotCount()
                            + " shots, expected "
                            + settings.shotCount());
            return;
        }
        CommandLog log = commandLog(lineId);
        ShotImages images = shotImagesState.value().forModel(lineStateConfig.modelId());
        byte[] key = RecordIds.lineKey(lineId);
        EncodedLineState lineState =
                encodeLineState(lineId, key, settings, bank.bytes(), images, log);
        if (lineState.recordBytes() > lineStateConfig.maxRecordBytes()) {
            bankRebuildFailed(entry, tooLarge(lineState));
            return;
        }
        setCurrentKey(lineId);
        bankState.update(bank.bytes());
        shotImagesState.update(images);
        bankCache.put(lineId, settings.shotsVersion(), bank.bytes());
        output.collect(
                LineInference.LINE_STATES,
                new StreamRecord<>(new OutboundRecord(key, lineState.value())));
        banksRebuilt.inc();
        LOG.info(
                "Rebuilt the bank of line {} ({} shots) for model {}",
                lineId,
                settings.shotCount(),
                lineStateConfig.modelId());
        entry.skip();
    }

    /**
     * A rebuild that failed leaves the line's state as it was: its frames then fail with the
     * backend's bank mismatch, as before the rebuild existed, until its shots are set again.
     */
    private void bankRebuildFailed(Entry entry, String reason) {
        bankRebuildsFailed.inc();
        LOG.warn(
                "Could not rebuild the bank of line {} for model {}: {}; its frames fail until its"
                        + " shots are set again",
                entry.input.lineId(),
                lineStateConfig.modelId(),
                reason);
        entry.skip();
    }

    /**
     * Writes a command's effect to the line's keyed state and answers it. {@code newBank} is the
     * new serialized bank, or null when the bank did not change or was cleared.
     */
    private void applied(Entry entry, LineSettings after, byte[] newBank) throws Exception {
        LineCommand command = entry.input.command();
        String lineId = command.lineId();
        LineSettings before = settings(lineId);
        CommandLog log = commandLog(lineId).withApplied(command.commandId(), command.position());
        byte[] bankAfter =
                newBank != null ? newBank : after.hasBank() ? bank(lineId, before) : null;
        setCurrentKey(lineId);
        ShotImages imagesAfter = shotImagesAfter(command, before, after);
        byte[] key = RecordIds.lineKey(lineId);
        EncodedLineState lineState =
                encodeLineState(lineId, key, after, bankAfter, imagesAfter, log);
        if (lineState.recordBytes() > lineStateConfig.maxRecordBytes()) {
            entry.complete(Outputs.rejected(command, before, tooLarge(lineState), now()));
            return;
        }
        if (newBank != null) {
            bankState.update(newBank);
            bankCache.put(lineId, after.shotsVersion(), newBank);
        } else if (!after.hasBank()) {
            bankState.clear();
            bankCache.remove(lineId);
        }
        if (imagesAfter != null) {
            shotImagesState.update(imagesAfter);
        } else {
            shotImagesState.clear();
        }
        settingsState.update(after);
        commandLogState.update(log);
        // In the mail that applies the command, before its outcome: what the topic holds is
        // never behind what was acknowledged.
        OutboundRecord record = new OutboundRecord(key, lineState.value());
        output.collect(
                LineInference.LINE_STATES,
                entry.hasTimestamp
                        ? new StreamRecord<>(record, entry.timestamp)
                        : new StreamRecord<>(record));
        metrics.lineState(lineId, after.hasBank(), after.shotsVersion());
        entry.complete(Outputs.applied(command, after, now()));
    }

    /** A line-state record and its size with its key, as the line-state topic would hold it. */
    private record EncodedLineState(byte[] value, long recordBytes) {}

    /**
     * The line's state record of the current model: with its shot images where it holds them and
     * they fit in the record limit, else without them (a start without state then cannot rebuild
     * the line's bank for another model; a restore from a checkpoint still can).
     */
    private EncodedLineState encodeLineState(
            String lineId,
            byte[] key,
            LineSettings settings,
            byte[] bank,
            ShotImages images,
            CommandLog log) {
        long now = now();
        if (images != null) {
            byte[] withImages =
                    lineStateRecords.encode(
                            lineId,
                            lineStateConfig.modelId(),
                            settings,
                            bank,
                            images.images(),
                            log,
                            now);
            long bytes = (long) key.length + withImages.length;
            if (bytes <= lineStateConfig.maxRecordBytes()) {
                return new EncodedLineState(withImages, bytes);
            }
            LOG.warn(
                    "The line-state record of line {} leaves its {} shot images out: with them it"
                            + " would be {} bytes, more than the limit of {} bytes; a start without"
                            + " state under another model cannot rebuild its bank",
                    lineId,
                    images.images().size(),
                    bytes,
                    lineStateConfig.maxRecordBytes());
        }
        byte[] value =
                lineStateRecords.encode(
                        lineId, lineStateConfig.modelId(), settings, bank, null, log, now);
        return new EncodedLineState(value, (long) key.length + value.length);
    }

    private String tooLarge(EncodedLineState lineState) {
        return "the line's state would be "
                + lineState.recordBytes()
                + " bytes, more than the line-state record limit of "
                + lineStateConfig.maxRecordBytes()
                + " bytes";
    }

    /**
     * The shot images of the bank after {@code command} (the current key's line), or null where
     * there is no bank or its images are not all known (state written before images were kept).
     */
    private ShotImages shotImagesAfter(LineCommand command, LineSettings before, LineSettings after)
            throws Exception {
        if (!after.hasBank()) {
            return null;
        }
        ShotImages current = shotImagesState.value();
        boolean currentComplete = current != null && current.images().size() == before.shotCount();
        switch (command.action()) {
            case SET_SHOTS:
                return new ShotImages(lineStateConfig.modelId(), command.shots());
            case ADD_SHOTS:
                return currentComplete && before.hasBank()
                        ? current.plus(command.shots(), lineStateConfig.modelId())
                        : before.hasBank()
                                ? null
                                : new ShotImages(lineStateConfig.modelId(), command.shots());
            default:
                return currentComplete ? current : null;
        }
    }

    private static String categoryAfter(LineCommand command, LineSettings settings) {
        boolean setsCategory =
                command.action() == CommandAction.SET_CATEGORY
                        || (command.action() == CommandAction.SET_SHOTS
                                && command.category() != null);
        return setsCategory ? command.category() : settings.category();
    }

    private static int expectedShotCount(LineCommand command, LineSettings settings) {
        switch (command.action()) {
            case SET_SHOTS:
                return command.shots().size();
            case ADD_SHOTS:
                return settings.shotCount() + command.shots().size();
            default:
                return settings.shotCount();
        }
    }

    // ---------------------------------------------------------------- keyed state access

    private LineSettings settings(String lineId) throws Exception {
        setCurrentKey(lineId);
        LineSettings settings = settingsState.value();
        if (settings == null) {
            settings = LineSettings.initial(config.defaultThreshold());
        }
        metrics.lineState(lineId, settings.hasBank(), settings.shotsVersion());
        return settings;
    }

    private CommandLog commandLog(String lineId) throws Exception {
        setCurrentKey(lineId);
        CommandLog log = commandLogState.value();
        return log == null ? CommandLog.EMPTY : log;
    }

    private byte[] bank(String lineId, LineSettings settings) throws Exception {
        byte[] cached = bankCache.get(lineId, settings.shotsVersion());
        if (cached != null) {
            return cached;
        }
        setCurrentKey(lineId);
        byte[] stored = bankState.value();
        if (stored == null) {
            throw new IllegalStateException(
                    "line "
                            + lineId
                            + " has "
                            + settings.shotCount()
                            + " shots at version "
                            + settings.shotsVersion()
                            + " but no bank in state");
        }
        bankCache.put(lineId, settings.shotsVersion(), stored);
        return stored;
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
    }
}
